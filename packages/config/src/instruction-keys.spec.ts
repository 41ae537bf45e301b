import { describe, expect, it } from '@jest/globals';
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { ConfigError, readConfig } from './config.js';
import { DEVELOPMENT_KEYS } from './development-keys.js';
import { instructionSigningSpec, instructionTrustSpec, parseInstructionPublicKeys, parseInstructionSigningKey } from './instruction-keys.js';
import { modeSpec } from './mode.js';

function pair(kid: string) {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { private: { ...privateKey.export({ format: 'jwk' }), kid }, public: { ...publicKey.export({ format: 'jwk' }), kid } };
}
const k1 = pair('2026-01');
const k2 = pair('2026-07');
const problemsOf = (spec: object, env: Record<string, string>): string[] => {
  try {
    readConfig({ ...modeSpec, ...spec }, env);
    return [];
  } catch (e) {
    return (e as ConfigError).problems;
  }
};

describe('the instruction signing key (FASIT_INSTRUCTION_SIGNING_KEY)', () => {
  it('is an Ed25519 private JWK with a key id; what it signs verifies with its public half', () => {
    const key = parseInstructionSigningKey(JSON.stringify(k1.private));
    expect(key.kid).toBe('2026-01');
    expect(key.publicJwk).toEqual({ kty: 'OKP', crv: 'Ed25519', kid: '2026-01', x: k1.public.x });
    const data = Buffer.from('instruction');
    const [published] = parseInstructionPublicKeys(JSON.stringify({ keys: [key.publicJwk] })).keys;
    expect(verify(null, data, { key: { ...published! }, format: 'jwk' }, sign(null, data, key.privateKey))).toBe(true);
  });

  it.each([
    ['not JSON', 'nope', 'not JSON: an Ed25519 private key as a JWK'],
    ['a public key', JSON.stringify(k1.public), 'the key has no private part ("d")'],
    ['no key id', JSON.stringify({ ...k1.private, kid: undefined }), 'the key: needs a "kid"'],
    [
      'another key type',
      JSON.stringify({ ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }), kid: 'x' }),
      'the key: not an Ed25519 key',
    ],
    ['a public half that is not its own', JSON.stringify({ ...k1.private, x: k2.public.x }), 'the key\'s "x" is not the public half of its "d"'],
  ])('refuses %s, naming the variable', (_, raw, problem) => {
    expect(problemsOf(instructionSigningSpec, { FASIT_AUTH_MODE: 'oidc', FASIT_INSTRUCTION_SIGNING_KEY: raw })).toEqual([
      expect.stringContaining(`FASIT_INSTRUCTION_SIGNING_KEY: ${problem}`),
    ]);
  });

  it('is required and may not be the development key outside development mode; development mode falls back to it', () => {
    expect(problemsOf(instructionSigningSpec, { FASIT_AUTH_MODE: 'oidc' })).toEqual([
      expect.stringContaining('FASIT_INSTRUCTION_SIGNING_KEY: required outside development mode'),
    ]);
    expect(
      problemsOf(instructionSigningSpec, { FASIT_AUTH_MODE: 'oidc', FASIT_INSTRUCTION_SIGNING_KEY: DEVELOPMENT_KEYS.FASIT_INSTRUCTION_SIGNING_KEY }),
    ).toEqual([expect.stringContaining("FASIT_INSTRUCTION_SIGNING_KEY: is a public development key (it is in Fasit's source)")]);
    expect(readConfig({ ...modeSpec, ...instructionSigningSpec }, {}).instructionSigningKey).toBe(DEVELOPMENT_KEYS.FASIT_INSTRUCTION_SIGNING_KEY);
    expect(parseInstructionSigningKey(DEVELOPMENT_KEYS.FASIT_INSTRUCTION_SIGNING_KEY).publicJwk).toEqual(
      parseInstructionPublicKeys(DEVELOPMENT_KEYS.FASIT_INSTRUCTION_PUBLIC_KEYS).keys[0],
    );
  });
});

describe('the public keys agents accept (FASIT_INSTRUCTION_PUBLIC_KEYS)', () => {
  it('is a JWK Set of Ed25519 public keys, several while a key is rotated', () => {
    expect(parseInstructionPublicKeys(JSON.stringify({ keys: [k1.public, k2.public] })).keys.map((k) => k.kid)).toEqual(['2026-01', '2026-07']);
  });

  it.each([
    [
      'no keys',
      JSON.stringify({ keys: [] }),
      'no "keys": a JWK Set {"keys":[…]} of the dispatcher\'s Ed25519 public key(s), each with its "kid" (pnpm fasit keys instruction-signing prints it)',
    ],
    [
      'a private key (it would let every agent sign for all the others)',
      JSON.stringify({ keys: [k1.private] }),
      'keys[0]: holds a private key ("d"); give agents only the public key',
    ],
    ['two keys with one id', JSON.stringify({ keys: [k1.public, { ...k2.public, kid: k1.public.kid }] }), 'the key ids ("kid") must be unique'],
    ['a key that is not Ed25519', JSON.stringify({ keys: [{ ...k1.public, x: 'AAAA' }] }), 'keys[0]: "x" is not an Ed25519 public key'],
  ])('refuses %s, naming the variable', (_, raw, problem) => {
    expect(problemsOf(instructionTrustSpec, { FASIT_AUTH_MODE: 'oidc', FASIT_INSTRUCTION_PUBLIC_KEYS: raw })).toEqual([
      `FASIT_INSTRUCTION_PUBLIC_KEYS: ${problem}`,
    ]);
  });

  it('outside development mode refuses a set that holds the development key, even next to a real one', () => {
    const dev = (JSON.parse(DEVELOPMENT_KEYS.FASIT_INSTRUCTION_PUBLIC_KEYS) as { keys: object[] }).keys;
    expect(problemsOf(instructionTrustSpec, { FASIT_AUTH_MODE: 'oidc', FASIT_INSTRUCTION_PUBLIC_KEYS: JSON.stringify({ keys: [k1.public, ...dev] }) })).toEqual(
      [expect.stringContaining("FASIT_INSTRUCTION_PUBLIC_KEYS: is a public development key (it is in Fasit's source)")],
    );
    expect(problemsOf(instructionTrustSpec, { FASIT_AUTH_MODE: 'oidc', FASIT_INSTRUCTION_PUBLIC_KEYS: JSON.stringify({ keys: [k1.public] }) })).toEqual([]);
  });
});
