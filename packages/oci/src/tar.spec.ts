import { describe, expect, it } from '@jest/globals';
import { gzipSync } from 'node:zlib';
import { OciError } from './errors.js';
import { gunzipLimited, readTar, safeEntryPath } from './tar.js';
import { buildTar, paxRecord } from './test-support/tar-builder.js';

async function codeOf(fn: () => unknown): Promise<{ code: string; message: string }> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof OciError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected an OciError');
}

const text = (entries: { path: string; data: Buffer }[]): Record<string, string> => Object.fromEntries(entries.map((e) => [e.path, e.data.toString('utf8')]));

describe('readTar', () => {
  it('reads regular files and skips directories', async () => {
    const tar = buildTar([
      { name: 'chart/', type: '5' },
      { name: 'chart/Chart.yaml', data: 'name: x\n' },
      { name: 'chart/templates/cm.yaml', data: 'kind: ConfigMap\n' },
      { name: 'chart/empty.txt', data: '' },
    ]);
    expect(text(await readTar(tar))).toEqual({ 'chart/Chart.yaml': 'name: x\n', 'chart/templates/cm.yaml': 'kind: ConfigMap\n', 'chart/empty.txt': '' });
  });

  it('reads a file that spans several blocks exactly', async () => {
    const big = 'x'.repeat(512 * 3 + 17);
    const tar = buildTar([
      { name: 'c/big', data: big },
      { name: 'c/after', data: 'ok' },
    ]);
    expect(text(await readTar(tar))).toEqual({ 'c/big': big, 'c/after': 'ok' });
  });

  it('joins the ustar prefix and the name', async () => {
    const prefix = `chart/${'p'.repeat(120)}`;
    const tar = buildTar([{ name: 'file.yaml', prefix, data: 'a' }]);
    expect((await readTar(tar)).map((e) => e.path)).toEqual([`${prefix}/file.yaml`]);
  });

  it('takes long names from a pax header, for that entry only', async () => {
    const long = `chart/templates/${'n'.repeat(150)}.yaml`;
    const tar = buildTar([
      { name: 'PaxHeaders/x', type: 'x', data: paxRecord('path', long) + paxRecord('mtime', '1.5') },
      { name: 'truncated-name', data: 'long' },
      { name: 'chart/next.yaml', data: 'next' },
    ]);
    expect(text(await readTar(tar))).toEqual({ [long]: 'long', 'chart/next.yaml': 'next' });
  });

  it('applies a global pax header to every later entry and takes the size from pax', async () => {
    const tar = buildTar([
      { name: 'g', type: 'g', data: paxRecord('comment', 'hello') },
      { name: 'PaxHeaders/a', type: 'x', data: paxRecord('size', '3') },
      { name: 'chart/a', data: 'abc', size: 0 },
    ]);
    expect(text(await readTar(tar))).toEqual({ 'chart/a': 'abc' });
  });

  it('takes long names from a GNU L entry', async () => {
    const long = `chart/${'g'.repeat(200)}`;
    const tar = buildTar([
      { name: '././@LongLink', type: 'L', data: `${long}\0` },
      { name: 'short', data: 'v' },
    ]);
    expect(text(await readTar(tar))).toEqual({ [long]: 'v' });
  });

  it('tolerates an archive without an end marker, and zero records after it', async () => {
    expect((await readTar(buildTar([{ name: 'c/a', data: '1' }], { endMarker: false }))).map((e) => e.path)).toEqual(['c/a']);
    const padded = Buffer.concat([buildTar([{ name: 'c/a', data: '1' }]), Buffer.alloc(10240)]);
    expect((await readTar(padded)).map((e) => e.path)).toEqual(['c/a']);
  });

  it('refuses bytes after the end marker that are not a tar record', async () => {
    const withTrailer = Buffer.concat([buildTar([{ name: 'c/a', data: '1' }]), Buffer.from('garbage after end')]);
    expect(await codeOf(() => readTar(withTrailer))).toEqual({
      code: 'INVALID_CHART',
      message: 'invalid tar archive: archive is truncated (it ends inside an entry or a header)',
    });
  });

  it.each([
    ['a parent directory', '../evil', /refers to a parent directory/],
    ['a parent directory in the middle', 'chart/../../evil', /refers to a parent directory/],
    ['an absolute path', '/etc/passwd', /is absolute/],
    ['a drive letter', 'C:/windows', /is absolute/],
    ['a backslash', 'chart\\..\\evil', /backslash/],
  ])('refuses a path with %s', async (_what, name, message) => {
    const tar = buildTar([{ name, data: 'x' }]);
    expect(await codeOf(() => readTar(tar))).toEqual({ code: 'INVALID_CHART', message: expect.stringMatching(message) as unknown as string });
  });

  it('refuses traversal hidden in a pax path', async () => {
    const tar = buildTar([
      { name: 'h', type: 'x', data: paxRecord('path', 'chart/../../x') },
      { name: 'chart/ok', data: 'x' },
    ]);
    expect((await codeOf(() => readTar(tar))).message).toMatch(/parent directory/);
  });

  it.each([
    ['2', 'symbolic link'],
    ['1', 'hard link'],
    ['3', 'character device'],
    ['4', 'block device'],
    ['6', 'FIFO'],
    ['S', 'entry of unknown type'],
  ])('refuses entries of type %s', async (type, kind) => {
    const tar = buildTar([{ name: 'chart/link', type, linkname: '/etc/passwd' }]);
    expect(await codeOf(() => readTar(tar))).toEqual({ code: 'INVALID_CHART', message: `invalid tar archive: ${kind} "chart/link" is not allowed` });
  });

  it('refuses duplicate paths (a later entry must not silently replace an earlier one)', async () => {
    const tar = buildTar([
      { name: 'c/a', data: '1' },
      { name: 'c/./a', data: '2' },
    ]);
    expect((await codeOf(() => readTar(tar))).message).toMatch(/duplicate entry "c\/a"/);
  });

  it('refuses a corrupt header checksum and a truncated entry', async () => {
    expect(await codeOf(() => readTar(buildTar([{ name: 'c/a', data: '1', badChecksum: true }])))).toEqual({
      code: 'INVALID_CHART',
      message: 'invalid tar archive: header checksum mismatch',
    });
    const truncated = buildTar([{ name: 'c/a', data: 'x', size: 5000 }], { endMarker: false });
    expect(await codeOf(() => readTar(truncated))).toEqual({
      code: 'INVALID_CHART',
      message: 'invalid tar archive: archive is truncated (it ends inside an entry or a header)',
    });
  });

  it('enforces the entry limit', async () => {
    const tar = buildTar(Array.from({ length: 4 }, (_, i) => ({ name: `c/${i}`, data: 'x' })));
    expect(await readTar(tar, { maxEntries: 4 })).toHaveLength(4);
    expect(await codeOf(() => readTar(tar, { maxEntries: 3 }))).toEqual({ code: 'TOO_LARGE', message: 'archive has more than 3 entries' });
  });

  it('enforces the total size limit', async () => {
    const tar = buildTar([
      { name: 'c/a', data: 'x'.repeat(600) },
      { name: 'c/b', data: 'y'.repeat(600) },
    ]);
    expect(await readTar(tar, { maxTotalBytes: 1200 })).toHaveLength(2);
    expect(await codeOf(() => readTar(tar, { maxTotalBytes: 1199 }))).toEqual({ code: 'TOO_LARGE', message: 'archive files add up to more than 1199 bytes' });
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

  it('stops a gzip bomb at the limit with TOO_LARGE', async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(100 * 1024);
    expect((await codeOf(() => gunzipLimited(bomb, 1024 * 1024))).code).toBe('TOO_LARGE');
  });

  it('refuses data that is not gzip with INVALID_CHART', async () => {
    expect((await codeOf(() => gunzipLimited(Buffer.from('not gzip at all'), 1024))).code).toBe('INVALID_CHART');
  });
});
