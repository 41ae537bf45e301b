import { describe, expect, it } from '@jest/globals';
import { OciError } from './errors.js';
import { formatChartReference, parseChartReference } from './reference.js';

describe('parseChartReference', () => {
  it.each([
    ['oci://127.0.0.1:55000/charts/demo-feature', undefined, { registry: '127.0.0.1:55000', repository: 'charts/demo-feature', name: 'demo-feature' }],
    ['oci://ghcr.io/nais/feature/naisd', '1.2.3', { registry: 'ghcr.io', repository: 'nais/feature/naisd', name: 'naisd', version: '1.2.3', tag: '1.2.3' }],
    ['oci://Registry.Example.ORG/a/b:0.1.0', undefined, { registry: 'registry.example.org', repository: 'a/b', name: 'b', version: '0.1.0', tag: '0.1.0' }],
    [
      'oci://localhost:5000/x:1.0.0+build.7',
      undefined,
      { registry: 'localhost:5000', repository: 'x', name: 'x', version: '1.0.0+build.7', tag: '1.0.0_build.7' },
    ],
    ['oci://localhost:5000/x', '1.0.0+build.7', { registry: 'localhost:5000', repository: 'x', name: 'x', version: '1.0.0+build.7', tag: '1.0.0_build.7' }],
    ['oci://[::1]:5000/charts/a-b_c.d', undefined, { registry: '[::1]:5000', repository: 'charts/a-b_c.d', name: 'a-b_c.d' }],
    ['  oci://reg.io/charts/x/  ', undefined, { registry: 'reg.io', repository: 'charts/x', name: 'x' }],
  ])('parses %s (version %s)', (input, version, expected) => {
    expect(parseChartReference(input, version)).toEqual(expected);
  });

  it('keeps a pinned digest next to the tag', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(parseChartReference(`oci://reg.io/charts/x:1.0.0@${digest}`)).toEqual({
      registry: 'reg.io',
      repository: 'charts/x',
      name: 'x',
      version: '1.0.0',
      tag: '1.0.0',
      digest,
    });
    expect(parseChartReference(`oci://reg.io/charts/x@${digest}`).digest).toBe(digest);
  });

  it('accepts the same version in the reference and as an argument', () => {
    expect(parseChartReference('oci://reg.io/x:1.0.0+a', '1.0.0+a').tag).toBe('1.0.0_a');
  });

  it.each([
    ['https://reg.io/charts/x', undefined, /must start with oci:\/\//],
    ['reg.io/charts/x', undefined, /must start with oci:\/\//],
    ['oci://reg.io', undefined, /needs a repository path/],
    ['oci://reg.io/', undefined, /repository path is empty/],
    ['oci:///charts/x', undefined, /host is empty/],
    ['oci://user:pw@reg.io/charts/x', undefined, /credentials/],
    ['oci://reg.io:99999/charts/x', undefined, /port "99999" is out of range/],
    ['oci://reg.io:0/charts/x', undefined, /port "0" is out of range/],
    ['oci://reg_io/charts/x', undefined, /not a valid host name/],
    ['oci://-reg.io/charts/x', undefined, /not a valid host name/],
    ['oci://reg.io/Charts/x', undefined, /path component "Charts"/],
    ['oci://reg.io/charts//x', undefined, /path component ""/],
    ['oci://reg.io/charts/x?y=1', undefined, /query strings/],
    ['oci://reg.io/charts/x:1.0.0', '2.0.0', /disagrees with version "2.0.0"/],
    ['oci://reg.io/charts/x', 'not valid!', /cannot be an OCI tag/],
    ['oci://reg.io/charts/x:-bad', undefined, /"-bad" is not a valid tag/],
    ['oci://reg.io/charts/x@sha256:abc', undefined, /not a sha256 digest/],
    ['oci://reg.io/charts/x@md5:' + 'a'.repeat(32), undefined, /not a sha256 digest/],
  ])('refuses %s (version %s)', (input, version, message) => {
    let caught: unknown;
    try {
      parseChartReference(input, version);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(OciError);
    expect((caught as OciError).code).toBe('INVALID_REFERENCE');
    expect((caught as OciError).retryable).toBe(false);
    expect((caught as OciError).message).toMatch(message);
    expect((caught as OciError).message).toContain(input);
  });

  it('formats a reference back without its version', () => {
    expect(formatChartReference(parseChartReference('oci://127.0.0.1:55000/charts/demo:1.0.0'))).toBe('oci://127.0.0.1:55000/charts/demo');
  });
});
