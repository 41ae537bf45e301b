import { describe, expect, it } from '@jest/globals';
import type { GoValue } from '../../value.js';
import { TemplateFuncError } from '../signature.js';
import { sprigFunctions } from './index.js';

const call = (name: string, ...args: GoValue[]): GoValue => sprigFunctions[name]!.fn(...args);

describe('sprig paths and URLs', () => {
  it.each<[string, GoValue[], GoValue]>([
    ['base', ['europe-north1-docker.pkg.dev/acme-mgmt-01/images'], 'images'],
    ['base', ['a/b/'], 'b'],
    ['base', ['a///'], 'a'],
    ['base', ['///'], '/'],
    // a long run of slashes not at the end (quadratic with /\/+$/: seconds at 100k)
    ['base', [`${'/'.repeat(200_000)}x`], 'x'],
    ['base', [''], '.'],
    ['base', ['///'], '/'],
    ['dir', ['europe-north1-docker.pkg.dev/acme-mgmt-01/images'], 'europe-north1-docker.pkg.dev/acme-mgmt-01'],
    ['dir', ['file'], '.'],
    ['dir', ['/a'], '/'],
    ['clean', ['a//b/../c/.'], 'a/c'],
    ['clean', ['/../x'], '/x'],
    ['clean', ['../../x'], '../../x'],
    ['clean', [''], '.'],
    ['ext', ['a/b.tar.gz'], '.gz'],
    ['ext', ['a.b/c'], ''],
    ['isAbs', ['/a'], true],
    ['osBase', ['/tmp/x.yaml'], 'x.yaml'],
    ['osIsAbs', ['tmp'], false],
    [
      'urlParse',
      ['https://user:pw@host.example.com:8443/p/q?x=1&y=2#frag'],
      {
        scheme: 'https',
        host: 'host.example.com:8443',
        hostname: 'host.example.com',
        path: '/p/q',
        query: 'x=1&y=2',
        opaque: '',
        fragment: 'frag',
        userinfo: 'user:pw',
      },
    ],
    [
      'urlParse',
      ['mailto:ops@example.com'],
      {
        scheme: 'mailto',
        host: '',
        hostname: '',
        path: '',
        query: '',
        opaque: 'ops@example.com',
        fragment: '',
        userinfo: '',
      },
    ],
    ['urlParse', ['/a%20b?q'], { scheme: '', host: '', hostname: '', path: '/a b', query: 'q', opaque: '', fragment: '', userinfo: '' }],
    ['urlParse', ['http://[::1]:80/'], { scheme: 'http', host: '[::1]:80', hostname: '::1', path: '/', query: '', opaque: '', fragment: '', userinfo: '' }],
    ['urlJoin', [{ scheme: 'https', host: 'example.com', path: '/a b', query: 'x=1' }], 'https://example.com/a%20b?x=1'],
    ['urlJoin', [{ scheme: 'https', host: 'h', userinfo: 'u:p', fragment: 'f g' }], 'https://u:p@h#f%20g'],
    ['urlJoin', [{ path: 'a:b' }], './a:b'],
  ])('%s %j', (name, args, expected) => {
    expect(call(name, ...args)).toEqual(expected);
  });

  it.each<[string, GoValue[], string]>([
    ['urlParse', ['http://host:port/'], 'invalid port'],
    ['urlParse', ['%zz'], 'invalid URL escape'],
    ['urlParse', [':foo'], 'missing protocol scheme'],
    ['urlJoin', [{ host: 1 }], 'must be of type string'],
  ])('%s fails: %j', (name, args, message) => {
    expect(() => call(name, ...args)).toThrow(TemplateFuncError);
    expect(() => call(name, ...args)).toThrow(message);
  });
});
