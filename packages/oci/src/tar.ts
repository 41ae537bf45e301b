import { gunzipSync } from 'node:zlib';
import { extract } from 'tar-stream';
import { OciError } from './errors.js';

/** A regular file read from a tar archive. */
export interface TarEntry {
  /** Normalised relative path (`a/b/c.yaml`): no leading `./`, no `.` or `..` segments, `/` separators. */
  path: string;
  data: Buffer;
}

export interface TarLimits {
  /** Maximum number of entries (files, directories, metadata headers excluded). */
  maxEntries: number;
  /** Maximum sum of file sizes in bytes. */
  maxTotalBytes: number;
}

export const DEFAULT_TAR_LIMITS: TarLimits = { maxEntries: 1_000, maxTotalBytes: 20 * 1024 * 1024 };

function invalid(message: string, cause?: unknown): OciError {
  return new OciError('INVALID_CHART', `invalid tar archive: ${message}`, cause === undefined ? undefined : { cause });
}

// tar-stream's messages, said for a chart archive (it is gunzipped already when it gets here)
const LIBRARY_MESSAGES: Record<string, string> = {
  'Unexpected end of data': 'archive is truncated (it ends inside an entry or a header)',
  'Invalid tar header. Maybe the tar is corrupted or it needs to be gunzipped?': 'header checksum mismatch',
  'Invalid tar header: unknown format.': 'header of unknown format (not ustar, pax or GNU)',
};

const KINDS: Record<string, string> = {
  link: 'hard link',
  symlink: 'symbolic link',
  'character-device': 'character device',
  'block-device': 'block device',
  fifo: 'FIFO',
};

/** Gunzips in memory, refusing output larger than `maxBytes` (a gzip bomb gives TOO_LARGE, not an OOM). */
export function gunzipLimited(data: Uint8Array, maxBytes: number): Buffer {
  try {
    return gunzipSync(data, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
      throw new OciError('TOO_LARGE', `archive is larger than ${maxBytes} bytes once uncompressed`, { cause: error });
    }
    throw new OciError('INVALID_CHART', `archive is not valid gzip: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Normalises a path found in an archive, refusing anything that could escape the extraction root:
 * absolute paths, drive letters, backslashes and `..` segments.
 */
export function safeEntryPath(raw: string): string {
  if (raw.includes('\0')) throw invalid(`path "${raw}" contains a NUL byte`);
  if (raw.includes('\\')) throw invalid(`path "${raw}" contains a backslash`);
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw)) throw invalid(`path "${raw}" is absolute`);
  const parts: string[] = [];
  for (const segment of raw.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') throw invalid(`path "${raw}" refers to a parent directory`);
    parts.push(segment);
  }
  if (parts.length === 0) throw invalid(`path "${raw}" is empty`);
  return parts.join('/');
}

/**
 * Reads the regular files of an uncompressed tar archive held in memory, with `tar-stream` (ustar with `prefix`,
 * pax extended headers, GNU long names, header checksums). Directories are skipped; links, devices, FIFOs and
 * entries of unknown type are refused (a chart has no use for them and they enable escapes); every path goes
 * through `safeEntryPath`, a path may appear once, and the limits are checked before an entry's data is kept.
 */
export async function readTar(archive: Buffer, limits: Partial<TarLimits> = {}): Promise<TarEntry[]> {
  const { maxEntries, maxTotalBytes } = { ...DEFAULT_TAR_LIMITS, ...limits };
  const entries: TarEntry[] = [];
  const seen = new Set<string>();
  let count = 0;
  let total = 0;
  const reader = extract();
  reader.end(archive);
  try {
    for await (const entry of reader) {
      const { name, type, size } = entry.header;
      count++;
      if (count > maxEntries) throw new OciError('TOO_LARGE', `archive has more than ${maxEntries} entries`);
      if (type === 'directory') {
        safeEntryPath(name);
        entry.resume();
        continue;
      }
      if (type !== 'file' && type !== 'contiguous-file') throw invalid(`${KINDS[type ?? ''] ?? 'entry of unknown type'} "${name}" is not allowed`);
      const path = safeEntryPath(name);
      if (seen.has(path)) throw invalid(`duplicate entry "${path}"`);
      seen.add(path);
      total += size;
      if (total > maxTotalBytes) throw new OciError('TOO_LARGE', `archive files add up to more than ${maxTotalBytes} bytes`);
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      entries.push({ path, data: Buffer.concat(chunks) });
    }
  } catch (error) {
    reader.destroy();
    if (error instanceof OciError) throw error;
    const message = (error as Error).message;
    throw invalid(LIBRARY_MESSAGES[message] ?? message, error);
  }
  return entries;
}
