import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { SecretBox, envValueContext } from './secret-box.js';

const k = () => randomBytes(32).toString('base64');

describe('SecretBox', () => {
  it('round-trips, never shows the plaintext and binds a box to its row', () => {
    const box = SecretBox.fromConfig(`a:${k()}`);
    const sealed = box.seal({ token: 'hunter2' }, envValueContext('e1', 'token'));
    expect(sealed).not.toContain('hunter2');
    expect(box.open(sealed, envValueContext('e1', 'token'))).toEqual({ token: 'hunter2' });
    expect(() => box.open(sealed, envValueContext('e2', 'token'))).toThrow('does not open');
  });

  it('opens old boxes after a rotation and seals with the new key', () => {
    const old = k();
    const sealed = SecretBox.fromConfig(`old:${old}`).seal('s3cret', 'ctx');
    const rotated = SecretBox.fromConfig(`new:${k()},old:${old}`);
    expect(rotated.open(sealed, 'ctx')).toBe('s3cret');
    expect(rotated.needsRotation(sealed)).toBe(true);
    expect(rotated.needsRotation(rotated.seal('s3cret', 'ctx'))).toBe(false);
  });

  it('refuses bad key material and unknown keys', () => {
    expect(() => SecretBox.fromConfig('a:c2hvcnQ=')).toThrow('AES-256 needs 32');
    const sealed = SecretBox.fromConfig(`a:${k()}`).seal(1, 'ctx');
    expect(() => SecretBox.fromConfig(`b:${k()}`).open(sealed, 'ctx')).toThrow('not configured');
  });
});
