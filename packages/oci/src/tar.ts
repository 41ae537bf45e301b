import { gunzipSync } from 'node:zlib';
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

const BLOCK = 512;

function invalid(message: string): OciError {
  return new OciError('INVALID_CHART', `invalid tar archive: ${message}`);
}

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

function cString(block: Buffer, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? field.length : end).toString('utf8');
}

function parseNumber(block: Buffer, start: number, length: number, what: string): number {
  const field = block.subarray(start, start + length);
  const first = field[0] ?? 0;
  if (first & 0x80) {
    // GNU base-256: big-endian, high bit is the marker. Only positive values are meaningful here.
    let value = first & 0x7f;
    for (let i = 1; i < field.length; i++) value = value * 256 + (field[i] ?? 0);
    if (!Number.isSafeInteger(value)) throw invalid(`${what} is too large`);
    return value;
  }
  const text = cString(block, start, length).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw invalid(`${what} "${text}" is not octal`);
  return parseInt(text, 8);
}

function checksumOk(block: Buffer): boolean {
  const stored = parseNumber(block, 148, 8, 'checksum');
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const byte = i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
    unsigned += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  return stored === unsigned || stored === signed;
}

/** Parses pax extended header records: `"<len> <key>=<value>\n"`. */
function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    if (space < 0) throw invalid('malformed pax header');
    const length = Number(data.subarray(offset, space).toString('ascii'));
    if (!Number.isInteger(length) || length <= 0 || offset + length > data.length) throw invalid('malformed pax record length');
    const record = data.subarray(space + 1, offset + length - 1).toString('utf8'); // without trailing \n
    const eq = record.indexOf('=');
    if (eq < 0) throw invalid('malformed pax record');
    out[record.slice(0, eq)] = record.slice(eq + 1);
    offset += length;
  }
  return out;
}

/**
 * Reads the regular files of an uncompressed tar archive held in memory. Understands ustar (with `prefix`),
 * pax extended headers (`path`, `size`; per-file and global) and GNU long names (`L`). Directories are skipped;
 * links, devices and FIFOs are refused (a chart has no use for them and they enable escapes).
 */
export function readTar(archive: Buffer, limits: Partial<TarLimits> = {}): TarEntry[] {
  const { maxEntries, maxTotalBytes } = { ...DEFAULT_TAR_LIMITS, ...limits };
  const entries: TarEntry[] = [];
  const seen = new Set<string>();
  let offset = 0;
  let total = 0;
  let count = 0;
  let globalPax: Record<string, string> = {};
  let nextPax: Record<string, string> = {};
  let longName: string | undefined;

  while (offset + BLOCK <= archive.length) {
    const header = archive.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break; // end-of-archive marker
    if (!checksumOk(header)) throw invalid(`header checksum mismatch at offset ${offset}`);
    const type = String.fromCharCode(header[156] ?? 0);
    let size = parseNumber(header, 124, 12, 'size');
    const pax = { ...globalPax, ...nextPax };
    if (pax.size !== undefined && type !== 'x' && type !== 'g') {
      size = Number(pax.size);
      if (!Number.isSafeInteger(size) || size < 0) throw invalid(`pax size "${pax.size}" is invalid`);
    }
    const dataStart = offset + BLOCK;
    const dataEnd = dataStart + size;
    if (dataEnd > archive.length) throw invalid(`entry at offset ${offset} is truncated`);
    const data = archive.subarray(dataStart, dataEnd);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;

    switch (type) {
      case 'x':
        nextPax = parsePax(data);
        continue;
      case 'g':
        globalPax = { ...globalPax, ...parsePax(data) };
        continue;
      case 'L':
        longName = cString(data, 0, data.length);
        continue;
      case 'K':
        continue; // GNU long link name: links are refused below anyway
      default:
        break;
    }

    const magic = header.subarray(257, 262).toString('ascii');
    const prefix = magic === 'ustar' ? cString(header, 345, 155) : '';
    const headerName = cString(header, 0, 100);
    const rawPath = pax.path ?? longName ?? (prefix ? `${prefix}/${headerName}` : headerName);
    nextPax = {};
    longName = undefined;

    count++;
    if (count > maxEntries) throw new OciError('TOO_LARGE', `archive has more than ${maxEntries} entries`);

    if (type === '5') {
      safeEntryPath(rawPath);
      continue;
    }
    if (type !== '0' && type !== '\0' && type !== '7') {
      const kind = type === '1' ? 'hard link' : type === '2' ? 'symbolic link' : `entry of type "${type}"`;
      throw invalid(`${kind} "${rawPath}" is not allowed`);
    }
    const path = safeEntryPath(rawPath);
    if (seen.has(path)) throw invalid(`duplicate entry "${path}"`);
    seen.add(path);
    total += size;
    if (total > maxTotalBytes) throw new OciError('TOO_LARGE', `archive files add up to more than ${maxTotalBytes} bytes`);
    entries.push({ path, data: Buffer.from(data) });
  }
  return entries;
}
