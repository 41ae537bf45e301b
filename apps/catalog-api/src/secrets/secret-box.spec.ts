import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { ConfigError } from '@fasit/config';
import { SecretBox } from './secret-box.js';

const keyOf = () => randomBytes(32).toString('base64');

describe('SecretBox', () => {
  it('seals so the plaintext does not appear and opens it again', () => {
    const box = SecretBox.fromConfig(`a:${keyOf()}`);
    const sealed = box.seal({ token: 'hunter2' }, 'ctx');
    expect(sealed).not.toContain('hunter2');
    expect(sealed.startsWith('v1.a.')).toBe(true);
    expect(box.open(sealed, 'ctx')).toEqual({ token: 'hunter2' });
  });

  it('refuses a ciphertext moved to another row (additional authenticated data)', () => {
    const box = SecretBox.fromConfig(`a:${keyOf()}`);
    expect(() => box.open(box.seal('x', 'row-1'), 'row-2')).toThrow(/does not open/);
  });

  it('rotates: a new first key seals, the old one still opens, and old rows are flagged', () => {
    const old = keyOf();
    const before = SecretBox.fromConfig(`old:${old}`).seal('v', 'c');
    const rotated = SecretBox.fromConfig(`new:${keyOf()},old:${old}`);
    expect(rotated.open(before, 'c')).toBe('v');
    expect(rotated.needsRotation(before)).toBe(true);
    expect(rotated.needsRotation(rotated.seal('v', 'c'))).toBe(false);
  });

  it('names the problem with a badly configured key', () => {
    expect(() => SecretBox.fromConfig('a:c2hvcnQ=')).toThrow(ConfigError);
    expect(() => SecretBox.fromConfig('a:c2hvcnQ=')).toThrow(/32/);
    expect(() => SecretBox.fromConfig(`a:${keyOf()},a:${keyOf()}`)).toThrow(/unique/);
  });

  it('says which key is missing when a row was sealed with an unknown key', () => {
    const sealed = SecretBox.fromConfig(`gone:${keyOf()}`).seal('v', 'c');
    expect(() => SecretBox.fromConfig(`a:${keyOf()}`).open(sealed, 'c')).toThrow(/"gone"/);
  });
});
