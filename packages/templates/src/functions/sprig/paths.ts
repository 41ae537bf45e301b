// Sprig path functions: Go's path package (slash-separated) and path/filepath, which on Linux behaves the same.
import type { GoMap } from '../../value.js';
import { mapGet, newMap, mapSet } from './go/maps.js';
import { kindOf } from './go/reflect.js';
import { def, fail, map, str, type SpecMap } from './spec.js';

/** path.Clean */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(seg);
  }
  const s = (rooted ? '/' : '') + out.join('/');
  return s === '' ? '.' : s;
}

/** path.Base */
export function basePath(p: string): string {
  if (p === '') return '.';
  // trailing slashes stripped by hand: /\/+$/ is quadratic on a long run of slashes that is not at the end
  let end = p.length;
  while (end > 0 && p.charCodeAt(end - 1) === 0x2f) end--;
  const t = p.slice(0, end);
  if (t === '') return '/';
  return t.slice(t.lastIndexOf('/') + 1);
}

/** path.Dir */
export function dirPath(p: string): string {
  return cleanPath(p.slice(0, p.lastIndexOf('/') + 1));
}

/** path.Ext */
export function extPath(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== '/'; i--) if (p[i] === '.') return p.slice(i);
  return '';
}

const pathFns = (prefix: string, what: string): SpecMap => {
  const name = (n: string): string => (prefix ? `${prefix}${n[0]!.toUpperCase()}${n.slice(1)}` : n);
  return {
    [name('base')]: def(`${name('base')}(path string) string`, `The last element of a ${what}.`, [`{{ ${name('base')} "a/b/c.txt" }}`, 'c.txt'], (p) =>
      basePath(str(p)),
    ),
    [name('dir')]: def(`${name('dir')}(path string) string`, `All but the last element of a ${what}.`, [`{{ ${name('dir')} "a/b/c.txt" }}`, 'a/b'], (p) =>
      dirPath(str(p)),
    ),
    [name('clean')]: def(
      `${name('clean')}(path string) string`,
      `The shortest equivalent ${what} (resolves . and ..).`,
      [`{{ ${name('clean')} "a//b/../c/" }}`, 'a/c'],
      (p) => cleanPath(str(p)),
    ),
    [name('ext')]: def(
      `${name('ext')}(path string) string`,
      `The file extension of a ${what}, with the dot.`,
      [`{{ ${name('ext')} "a/b.tar.gz" }}`, '.gz'],
      (p) => extPath(str(p)),
    ),
    [name('isAbs')]: def(`${name('isAbs')}(path string) bool`, `Whether a ${what} is absolute.`, [`{{ ${name('isAbs')} "/a" }}`, 'true'], (p) =>
      str(p).startsWith('/'),
    ),
  };
};

// ---- net/url ----

const HEX = '0123456789ABCDEF';

type Mode = 'path' | 'host' | 'user' | 'fragment' | 'query';

function shouldEscape(c: number, mode: Mode): boolean {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z0-9]/.test(ch)) return false;
  if (mode === 'host') {
    if ('!$&\'()*+,;=:[]<>"'.includes(ch)) return false;
  }
  if ('-_.~'.includes(ch)) return false;
  if ('$&+,/:;=?@'.includes(ch)) {
    switch (mode) {
      case 'path':
        return ch === '?';
      case 'user':
        return ch === '@' || ch === '/' || ch === '?' || ch === ':';
      case 'fragment':
        return false;
      case 'host':
      case 'query':
        return true;
    }
  }
  if (mode === 'fragment' && '!()*'.includes(ch)) return false;
  return true;
}

function escape(s: string, mode: Mode): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    if (shouldEscape(b, mode)) out += `%${HEX[b >> 4]}${HEX[b & 15]}`;
    else out += String.fromCharCode(b);
  }
  return out;
}

function unescape(s: string, mode: Mode): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (s[i] === '%') {
      const h = s.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(h)) {
        const bad = s.slice(i, i + 3);
        throw new Error(`invalid URL escape ${JSON.stringify(bad)}`);
      }
      bytes.push(parseInt(h, 16));
      i += 2;
    } else if (mode === 'host' && c < 0x80 && shouldEscape(c, 'host')) {
      throw new Error(`invalid character ${JSON.stringify(s[i])} in host name`);
    } else {
      bytes.push(...Buffer.from(s[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

interface ParsedURL {
  scheme: string;
  opaque: string;
  user: { username: string; password?: string } | null;
  host: string;
  path: string;
  rawQuery: string;
  fragment: string;
}

function parseURL(raw: string): ParsedURL {
  const wrap = (msg: string): never => {
    throw new Error(`parse ${JSON.stringify(raw)}: ${msg}`);
  };
  const [beforeFrag, ...fragParts] = raw.split('#');
  let rest = beforeFrag ?? '';
  const u: ParsedURL = { scheme: '', opaque: '', user: null, host: '', path: '', rawQuery: '', fragment: '' };
  try {
    if (fragParts.length) u.fragment = unescape(fragParts.join('#'), 'fragment');
  } catch (e) {
    wrap((e as Error).message);
  }
  if ([...raw].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) wrap('net/url: invalid control character in URL');
  if (rest === '*') {
    u.path = '*';
    return u;
  }
  const sm = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(rest);
  if (rest.startsWith(':')) wrap('missing protocol scheme');
  if (sm) {
    u.scheme = sm[1]!.toLowerCase();
    rest = rest.slice(sm[0].length);
  }
  if (rest.endsWith('?') && rest.split('?').length === 2) rest = rest.slice(0, -1);
  else {
    const q = rest.indexOf('?');
    if (q >= 0) {
      u.rawQuery = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
  }
  if (!rest.startsWith('/')) {
    if (u.scheme !== '') {
      u.opaque = rest;
      return u;
    }
    const seg = rest.split('/')[0] ?? '';
    if (seg.includes(':')) wrap('first path segment in URL cannot contain colon');
  }
  if ((u.scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
    let authority = rest.slice(2);
    const slash = authority.indexOf('/');
    rest = slash >= 0 ? authority.slice(slash) : '';
    if (slash >= 0) authority = authority.slice(0, slash);
    const at = authority.lastIndexOf('@');
    let hostPart = authority;
    try {
      if (at >= 0) {
        const userinfo = authority.slice(0, at);
        hostPart = authority.slice(at + 1);
        const colon = userinfo.indexOf(':');
        u.user =
          colon >= 0
            ? { username: unescape(userinfo.slice(0, colon), 'user'), password: unescape(userinfo.slice(colon + 1), 'user') }
            : { username: unescape(userinfo, 'user') };
      }
      let portPart = '';
      if (hostPart.startsWith('[')) {
        const end = hostPart.indexOf(']');
        if (end < 0) wrap("missing ']' in host");
        portPart = hostPart.slice(end + 1);
      } else if (hostPart.lastIndexOf(':') >= 0) portPart = hostPart.slice(hostPart.lastIndexOf(':'));
      if (portPart !== '' && !/^:[0-9]*$/.test(portPart)) wrap(`invalid port ${JSON.stringify(portPart)} after host`);
      u.host = unescape(hostPart, 'host');
    } catch (e) {
      if ((e as Error).message.startsWith('parse ')) throw e;
      wrap((e as Error).message);
    }
  }
  try {
    u.path = unescape(rest, 'path');
  } catch (e) {
    wrap((e as Error).message);
  }
  return u;
}

function hostname(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end >= 0 ? host.slice(1, end) : host.slice(1);
  }
  const colon = host.lastIndexOf(':');
  return colon >= 0 ? host.slice(0, colon) : host;
}

function userString(user: { username: string; password?: string }): string {
  return escape(user.username, 'user') + (user.password !== undefined ? `:${escape(user.password, 'user')}` : '');
}

function urlString(u: ParsedURL): string {
  let out = '';
  if (u.scheme) out += `${u.scheme}:`;
  if (u.opaque) out += u.opaque;
  else {
    if (u.scheme || u.host || u.user) {
      if (u.host || u.path || u.user) out += '//';
      if (u.user) out += `${userString(u.user)}@`;
      if (u.host) out += escape(u.host, 'host');
    }
    const path = escape(u.path, 'path');
    if (path !== '' && path[0] !== '/' && u.host !== '') out += '/';
    if (out === '') {
      const seg = path.split('/')[0] ?? '';
      if (seg.includes(':')) out += './';
    }
    out += path;
  }
  if (u.rawQuery) out += `?${u.rawQuery}`;
  if (u.fragment) out += `#${escape(u.fragment, 'fragment')}`;
  return out;
}

function dictString(d: GoMap, key: string): string {
  const v = mapGet(d, key);
  if (v === undefined) return '';
  if (typeof v !== 'string') return fail(`unable to parse ${key} key, must be of type string, but ${kindOf(v)} found`);
  return v;
}

export const pathFunctions: SpecMap = {
  ...pathFns('', 'slash-separated path'),
  ...pathFns('os', 'file path'),
  urlParse: def(
    'urlParse(v string) map[string]interface{}',
    'Parses a URL into a map with scheme, host, hostname, path, query, opaque, fragment and userinfo.',
    ['{{ (urlParse "https://host.example.com:8443/p?x=1").hostname }}', 'host.example.com'],
    (v) => {
      let u: ParsedURL;
      try {
        u = parseURL(str(v));
      } catch (e) {
        return fail(`unable to parse url: ${(e as Error).message}`);
      }
      const m = newMap();
      mapSet(m, 'scheme', u.scheme);
      mapSet(m, 'host', u.host);
      mapSet(m, 'hostname', hostname(u.host));
      mapSet(m, 'path', u.path);
      mapSet(m, 'query', u.rawQuery);
      mapSet(m, 'opaque', u.opaque);
      mapSet(m, 'fragment', u.fragment);
      mapSet(m, 'userinfo', u.user ? userString(u.user) : '');
      return m;
    },
  ),
  urlJoin: def(
    'urlJoin(d map[string]interface{}) string',
    'Builds a URL string from a map like the one urlParse returns.',
    ['{{ urlJoin (dict "scheme" "https" "host" "example.com" "path" "/a b" "query" "x=1") }}', 'https://example.com/a%20b?x=1'],
    (d) => {
      const m = map(d) ?? {};
      const userinfo = dictString(m, 'userinfo');
      let user: ParsedURL['user'] = null;
      if (userinfo !== '') {
        try {
          user = parseURL(`proto://${userinfo}@host`).user;
        } catch (e) {
          return fail(`unable to parse userinfo in dict: ${(e as Error).message}`);
        }
      }
      return urlString({
        scheme: dictString(m, 'scheme'),
        host: dictString(m, 'host'),
        path: dictString(m, 'path'),
        rawQuery: dictString(m, 'query'),
        opaque: dictString(m, 'opaque'),
        fragment: dictString(m, 'fragment'),
        user,
      });
    },
  ),
};
