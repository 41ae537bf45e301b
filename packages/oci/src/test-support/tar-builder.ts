// Builds tar archives byte by byte for unit tests, including the malformed and hostile ones no tool writes.
import { gzipSync } from 'node:zlib';

export interface RawTarEntry {
  name: string;
  data?: string | Buffer;
  /** Typeflag: '0' file (default), '5' directory, '2' symlink, 'x' pax header, 'L' GNU long name… */
  type?: string;
  /** ustar prefix field. */
  prefix?: string;
  linkname?: string;
  /** Override the size field (to write a lying header). */
  size?: number;
  /** Corrupt the checksum. */
  badChecksum?: boolean;
}

function writeString(block: Buffer, offset: number, length: number, value: string): void {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length > length) throw new Error(`"${value}" does not fit in ${length} bytes`);
  bytes.copy(block, offset);
}

function writeOctal(block: Buffer, offset: number, length: number, value: number): void {
  writeString(block, offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
}

export function tarHeader(entry: RawTarEntry, dataLength: number): Buffer {
  const block = Buffer.alloc(512);
  writeString(block, 0, 100, entry.name);
  writeOctal(block, 100, 8, entry.type === '5' ? 0o755 : 0o644);
  writeOctal(block, 108, 8, 0);
  writeOctal(block, 116, 8, 0);
  writeOctal(block, 124, 12, entry.size ?? dataLength);
  writeOctal(block, 136, 12, 0);
  block.write('        ', 148, 'ascii');
  writeString(block, 156, 1, entry.type ?? '0');
  writeString(block, 157, 100, entry.linkname ?? '');
  writeString(block, 257, 6, 'ustar\0');
  writeString(block, 263, 2, '00');
  writeString(block, 345, 155, entry.prefix ?? '');
  let sum = 0;
  for (const byte of block) sum += byte;
  if (entry.badChecksum) sum += 1;
  writeString(block, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return block;
}

export function buildTar(entries: RawTarEntry[], options: { endMarker?: boolean } = {}): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const data = Buffer.isBuffer(entry.data) ? entry.data : Buffer.from(entry.data ?? '', 'utf8');
    parts.push(tarHeader(entry, data.length), data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  if (options.endMarker !== false) parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** A pax record `"<len> key=value\n"`, where len counts itself. */
export function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body) + 1;
  while (String(length).length + Buffer.byteLength(body) !== length) length = String(length).length + Buffer.byteLength(body);
  return `${length}${body}`;
}

export function buildTgz(entries: RawTarEntry[]): Buffer {
  return gzipSync(buildTar(entries));
}
