import { describe, expect, it } from '@jest/globals';
import { parseWwwAuthenticate } from './challenge.js';

describe('parseWwwAuthenticate', () => {
  it.each([
    [
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:samalba/my-app:pull,push"',
      [{ scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:samalba/my-app:pull,push' } }],
    ],
    ['Basic realm="Registry Realm"', [{ scheme: 'basic', params: { realm: 'Registry Realm' } }]],
    ['basic realm=fasit-test', [{ scheme: 'basic', params: { realm: 'fasit-test' } }]],
    [
      'Bearer realm="https://ghcr.io/token", service="ghcr.io" , scope="repository:a/b:pull"',
      [{ scheme: 'bearer', params: { realm: 'https://ghcr.io/token', service: 'ghcr.io', scope: 'repository:a/b:pull' } }],
    ],
    [
      'Basic realm="r", Bearer realm="https://t.example/token",service="s"',
      [
        { scheme: 'basic', params: { realm: 'r' } },
        { scheme: 'bearer', params: { realm: 'https://t.example/token', service: 's' } },
      ],
    ],
    ['Bearer realm="a \\"quoted\\" realm"', [{ scheme: 'bearer', params: { realm: 'a "quoted" realm' } }]],
    ['Bearer REALM="x",Service="y"', [{ scheme: 'bearer', params: { realm: 'x', service: 'y' } }]],
    ['Bearer', [{ scheme: 'bearer', params: {} }]],
    ['', []],
  ])('parses %j', (header, expected) => {
    expect(parseWwwAuthenticate(header)).toEqual(expected);
  });

  it('returns nothing for a missing header', () => {
    expect(parseWwwAuthenticate(null)).toEqual([]);
    expect(parseWwwAuthenticate(undefined)).toEqual([]);
  });
});
