// Sprig encoding and hash functions: base64/base32 (a decoding error is returned as the result text, as Sprig
// does), sha1sum, sha256sum, adler32sum.
import { createHash } from 'node:crypto';
import { def, str, type SpecMap } from './spec.js';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

class CorruptInput extends Error {
  constructor(readonly offset: number) {
    super(`illegal base64 data at input byte ${offset}`);
  }
}

/** encoding/base64 StdEncoding.DecodeString, with Go's error offsets. */
export function base64Decode(s: string): Buffer {
  const src = Buffer.from(s, 'utf8');
  const map = new Map([...B64].map((c, i) => [c.charCodeAt(0), i]));
  const out: number[] = [];
  let si = 0;
  const nl = (c: number | undefined): boolean => c === 0x0a || c === 0x0d;
  while (si < src.length) {
    const dbuf = [0, 0, 0, 0];
    let dlen = 4;
    let done = false;
    for (let j = 0; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return Buffer.from(out);
        throw new CorruptInput(si - j);
      }
      const c = src[si]!;
      si++;
      const v = map.get(c);
      if (v !== undefined) {
        dbuf[j] = v;
        continue;
      }
      if (nl(c)) {
        j--;
        continue;
      }
      if (c !== 0x3d) throw new CorruptInput(si - 1);
      if (j === 0 || j === 1) throw new CorruptInput(si - 1);
      if (j === 2) {
        while (si < src.length && nl(src[si])) si++;
        if (si === src.length) throw new CorruptInput(src.length);
        if (src[si] !== 0x3d) throw new CorruptInput(si - 1);
        si++;
      }
      while (si < src.length && nl(src[si])) si++;
      if (si < src.length) throw new CorruptInput(si);
      dlen = j;
      done = true;
      break;
    }
    const val = (dbuf[0]! << 18) | (dbuf[1]! << 12) | (dbuf[2]! << 6) | dbuf[3]!;
    const bytes = [(val >> 16) & 0xff, (val >> 8) & 0xff, val & 0xff];
    out.push(...bytes.slice(0, dlen - 1));
    if (done) break;
  }
  return Buffer.from(out);
}

/** encoding/base32 StdEncoding.EncodeToString */
export function base32Encode(data: Buffer): string {
  let out = '';
  for (let i = 0; i < data.length; i += 5) {
    const chunk = data.subarray(i, i + 5);
    let bits = 0n;
    for (let k = 0; k < 5; k++) bits = (bits << 8n) | BigInt(chunk[k] ?? 0);
    const chars = [1, 2, 4, 5, 7, 8][chunk.length] ?? 8;
    for (let k = 0; k < 8; k++) {
      out += k < chars ? B32[Number((bits >> BigInt(35 - 5 * k)) & 31n)] : '=';
    }
  }
  return out;
}

/** encoding/base32 StdEncoding.DecodeString, with Go's error offsets. */
export function base32Decode(s: string): Buffer {
  const src = Buffer.from(s.replace(/[\r\n]/g, ''), 'utf8');
  const map = new Map([...B32].map((c, i) => [c.charCodeAt(0), i]));
  const olen = src.length;
  let p = 0;
  const out: number[] = [];
  let end = false;
  const err = (o: number): never => {
    throw new Error(`illegal base32 data at input byte ${o}`);
  };
  while (p < src.length && !end) {
    const dbuf = [0, 0, 0, 0, 0, 0, 0, 0];
    let dlen = 8;
    for (let j = 0; j < 8;) {
      if (p >= src.length) err(olen - (src.length - p) - j);
      const c = src[p]!;
      p++;
      const rem = src.length - p;
      if (c === 0x3d && j >= 2 && rem < 8) {
        if (rem + j < 8 - 1) err(olen);
        for (let k = 0; k < 8 - 1 - j; k++) {
          if (rem > k && src[p + k] !== 0x3d) err(olen - rem + k - 1);
        }
        dlen = j;
        end = true;
        if (dlen === 1 || dlen === 3 || dlen === 6) err(olen - rem - 1);
        break;
      }
      const v = map.get(c);
      if (v === undefined) return err(olen - rem - 1);
      dbuf[j] = v;
      j++;
    }
    let bits = 0n;
    for (const d of dbuf) bits = (bits << 5n) | BigInt(d);
    const bytes = [32n, 24n, 16n, 8n, 0n].map((sh) => Number((bits >> sh) & 0xffn));
    const n = { 8: 5, 7: 4, 5: 3, 4: 2, 2: 1 }[dlen] ?? 0;
    out.push(...bytes.slice(0, n));
  }
  return Buffer.from(out);
}

function adler32(data: Buffer): number {
  let a = 1;
  let b = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

export const encodingFunctions: SpecMap = {
  b64enc: def('b64enc(v string) string', 'Base64-encodes a string.', ['{{ b64enc "hello" }}', 'aGVsbG8='], (v) =>
    Buffer.from(str(v), 'utf8').toString('base64'),
  ),
  b64dec: def('b64dec(v string) string', 'Decodes base64; on invalid input the result is the error message.', ['{{ b64dec "aGVsbG8=" }}', 'hello'], (v) => {
    try {
      return base64Decode(str(v)).toString('utf8');
    } catch (e) {
      return (e as Error).message;
    }
  }),
  b32enc: def('b32enc(v string) string', 'Base32-encodes a string.', ['{{ b32enc "hi" }}', 'NBUQ===='], (v) => base32Encode(Buffer.from(str(v), 'utf8'))),
  b32dec: def('b32dec(v string) string', 'Decodes base32; on invalid input the result is the error message.', ['{{ b32dec "NBUQ====" }}', 'hi'], (v) => {
    try {
      return base32Decode(str(v)).toString('utf8');
    } catch (e) {
      return (e as Error).message;
    }
  }),
  sha1sum: def('sha1sum(input string) string', 'SHA-1 of the string, hex encoded.', ['{{ sha1sum "abc" }}', 'a9993e364706816aba3e25717850c26c9cd0d89d'], (v) =>
    createHash('sha1').update(str(v), 'utf8').digest('hex'),
  ),
  sha256sum: def('sha256sum(input string) string', 'SHA-256 of the string, hex encoded.', ['{{ sha256sum "abc" | trunc 16 }}', 'ba7816bf8f01cfea'], (v) =>
    createHash('sha256').update(str(v), 'utf8').digest('hex'),
  ),
  adler32sum: def('adler32sum(input string) string', 'Adler-32 checksum of the string, in decimal.', ['{{ adler32sum "dev" }}', '40829248'], (v) =>
    String(adler32(Buffer.from(str(v), 'utf8'))),
  ),
};
