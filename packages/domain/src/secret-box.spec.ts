import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { decryptSecret, encryptSecret, parseKeyRing, secretKeyId } from './secret-box.js';

const k = () => randomBytes(32).toString('base64');

describe('secret box', () => {
  it('round-trips and never stores the plaintext', () => {
    const ring = parseKeyRing(`a:${k()}`);
    const box = encryptSecret(ring, '{"token":"hunter2"}');
    expect(box).not.toContain('hunter2');
    expect(decryptSecret(ring, box)).toBe('{"token":"hunter2"}');
    expect(encryptSecret(ring, 'x')).not.toBe(encryptSecret(ring, 'x'));
  });

  it('reads old boxes after a rotation and writes with the new primary', () => {
    const oldKey = k();
    const before = parseKeyRing(`old:${oldKey}`);
    const box = encryptSecret(before, 's3cret');
    const after = parseKeyRing(`new:${k()},old:${oldKey}`);
    expect(decryptSecret(after, box)).toBe('s3cret');
    expect(secretKeyId(encryptSecret(after, 's3cret'))).toBe('new');
  });

  it('refuses tampered boxes, unknown keys and bad key material', () => {
    const ring = parseKeyRing(`a:${k()}`);
    const box = encryptSecret(ring, 'value');
    const parts = box.split(':');
    parts[4] = Buffer.from('other').toString('base64url');
    expect(() => decryptSecret(ring, parts.join(':'))).toThrow();
    expect(() => decryptSecret(parseKeyRing(`b:${k()}`), box)).toThrow('not in the key ring');
    expect(() => parseKeyRing('a:c2hvcnQ=')).toThrow('must be 32 bytes');
  });
});
