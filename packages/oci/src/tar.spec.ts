import { describe, expect, it } from '@jest/globals';
import { gzipSync } from 'node:zlib';
import { OciError } from './errors.js';
import { gunzipLimited, readTar, safeEntryPath } from './tar.js';
import { buildTar, paxRecord } from './test-support/tar-builder.js';

function codeOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (error) {
    if (error instanceof OciError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected an OciError');
}

const text = (entries: { path: string; data: Buffer }[]): Record<string, string> =>
  Object.fromEntries(entries.map((e) => [e.path, e.data.toString('utf8')]));

describe('readTar', () => {
  it('reads regular files and skips directories', () => {
    const tar = buildTar([
      { name: 'chart/', type: '5' },
      { name: 'chart/Chart.yaml', data: 'name: x\n' },
      { name: 'chart/templates/cm.yaml', data: 'kind: ConfigMap\n' },
      { name: 'chart/empty.txt', data: '' },
    ]);
    expect(text(readTar(tar))).toEqual({ 'chart/Chart.yaml': 'name: x\n', 'chart/templates/cm.yaml': 'kind: ConfigMap\n', 'chart/empty.txt': '' });
  });

  it('reads a file that spans several blocks exactly', () => {
    const big = 'x'.repeat(512 * 3 + 17);
    const tar = buildTar([{ name: 'c/big', data: big }, { name: 'c/after', data: 'ok' }]);
    expect(text(readTar(tar))).toEqual({ 'c/big': big, 'c/after': 'ok' });
  });

  it('joins the ustar prefix and the name', () => {
    const prefix = `chart/${'p'.repeat(120)}`;
    const tar = buildTar([{ name: 'file.yaml', prefix, data: 'a' }]);
    expect(readTar(tar).map((e) => e.path)).toEqual([`${prefix}/file.yaml`]);
  });

  it('takes long names from a pax header, for that entry only', () => {
    const long = `chart/templates/${'n'.repeat(150)}.yaml`;
    const tar = buildTar([
      { name: 'PaxHeaders/x', type: 'x', data: paxRecord('path', long) + paxRecord('mtime', '1.5') },
      { name: 'truncated-name', data: 'long' },
      { name: 'chart/next.yaml', data: 'next' },
    ]);
    expect(text(readTar(tar))).toEqual({ [long]: 'long', 'chart/next.yaml': 'next' });
  });

  it('applies a global pax header to every later entry and takes the size from pax', () => {
    const tar = buildTar([
      { name: 'g', type: 'g', data: paxRecord('comment', 'hello') },
      { name: 'PaxHeaders/a', type: 'x', data: paxRecord('size', '3') },
      { name: 'chart/a', data: 'abc', size: 0 },
    ]);
    expect(text(readTar(tar))).toEqual({ 'chart/a': 'abc' });
  });

  it('takes long names from a GNU L entry', () => {
    const long = `chart/${'g'.repeat(200)}`;
    const tar = buildTar([{ name: '././@LongLink', type: 'L', data: `${long}\0` }, { name: 'short', data: 'v' }]);
    expect(text(readTar(tar))).toEqual({ [long]: 'v' });
  });

  it('stops at the end marker and tolerates an archive without one', () => {
    const withTrailer = Buffer.concat([buildTar([{ name: 'c/a', data: '1' }]), Buffer.from('garbage after end')]);
    expect(readTar(withTrailer).map((e) => e.path)).toEqual(['c/a']);
    expect(readTar(buildTar([{ name: 'c/a', data: '1' }], { endMarker: false })).map((e) => e.path)).toEqual(['c/a']);
  });

  it.each([
    ['a parent directory', '../evil', /refers to a parent directory/],
    ['a parent directory in the middle', 'chart/../../evil', /refers to a parent directory/],
    ['an absolute path', '/etc/passwd', /is absolute/],
    ['a drive letter', 'C:/windows', /is absolute/],
    ['a backslash', 'chart\\..\\evil', /backslash/],
  ])('refuses a path with %s', (_what, name, message) => {
    const tar = buildTar([{ name, data: 'x' }]);
    expect(codeOf(() => readTar(tar))).toEqual({ code: 'INVALID_CHART', message: expect.stringMatching(message) as unknown as string });
  });

  it('refuses traversal hidden in a pax path', () => {
    const tar = buildTar([{ name: 'h', type: 'x', data: paxRecord('path', 'chart/../../x') }, { name: 'chart/ok', data: 'x' }]);
    expect(codeOf(() => readTar(tar)).message).toMatch(/parent directory/);
  });

  it.each([
    ['2', 'symbolic link'],
    ['1', 'hard link'],
    ['3', 'entry of type "3"'],
  ])('refuses entries of type %s', (type, message) => {
    const tar = buildTar([{ name: 'chart/link', type, linkname: '/etc/passwd' }]);
    expect(codeOf(() => readTar(tar))).toEqual({ code: 'INVALID_CHART', message: expect.stringContaining(message) as unknown as string });
  });

  it('refuses duplicate paths (a later entry must not silently replace an earlier one)', () => {
    const tar = buildTar([{ name: 'c/a', data: '1' }, { name: 'c/./a', data: '2' }]);
    expect(codeOf(() => readTar(tar)).message).toMatch(/duplicate entry "c\/a"/);
  });

  it('refuses a corrupt header checksum and a truncated entry', () => {
    expect(codeOf(() => readTar(buildTar([{ name: 'c/a', data: '1', badChecksum: true }]))).message).toMatch(/checksum/);
    const truncated = buildTar([{ name: 'c/a', data: 'x', size: 5000 }], { endMarker: false });
    expect(codeOf(() => readTar(truncated)).message).toMatch(/truncated/);
  });

  it('enforces the entry limit', () => {
    const tar = buildTar(Array.from({ length: 4 }, (_, i) => ({ name: `c/${i}`, data: 'x' })));
    expect(readTar(tar, { maxEntries: 4 })).toHaveLength(4);
    expect(codeOf(() => readTar(tar, { maxEntries: 3 }))).toEqual({ code: 'TOO_LARGE', message: 'archive has more than 3 entries' });
  });

  it('enforces the total size limit', () => {
    const tar = buildTar([{ name: 'c/a', data: 'x'.repeat(600) }, { name: 'c/b', data: 'y'.repeat(600) }]);
    expect(readTar(tar, { maxTotalBytes: 1200 })).toHaveLength(2);
    expect(codeOf(() => readTar(tar, { maxTotalBytes: 1199 }))).toEqual({ code: 'TOO_LARGE', message: 'archive files add up to more than 1199 bytes' });
  });
});

describe('safeEntryPath', () => {
  it.each([
    ['./chart/Chart.yaml', 'chart/Chart.yaml'],
    ['chart//templates/./a.yaml', 'chart/templates/a.yaml'],
    ['chart/', 'chart'],
  ])('normalises %s', (raw, expected) => {
    expect(safeEntryPath(raw)).toBe(expected);
  });
});

describe('gunzipLimited', () => {
  it('gunzips within the limit', () => {
    expect(gunzipLimited(gzipSync(Buffer.from('hello')), 5).toString()).toBe('hello');
  });

  it('stops a gzip bomb at the limit with TOO_LARGE', () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(100 * 1024);
    expect(codeOf(() => gunzipLimited(bomb, 1024 * 1024)).code).toBe('TOO_LARGE');
  });

  it('refuses data that is not gzip with INVALID_CHART', () => {
    expect(codeOf(() => gunzipLimited(Buffer.from('not gzip at all'), 1024)).code).toBe('INVALID_CHART');
  });
});
