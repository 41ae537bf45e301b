// The instruction keys, as configured: the dispatcher's Ed25519 private key (FASIT_INSTRUCTION_SIGNING_KEY, a JWK)
// and the public keys every agent accepts (FASIT_INSTRUCTION_PUBLIC_KEYS, a JWK Set). Parsed and checked here, once,
// with node:crypto; signing and verifying is @fasit/bus's (jose).
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Spec } from './config.js';
import { DEVELOPMENT_INSTRUCTION_KEY_X, DEVELOPMENT_KEYS } from './development-keys.js';

/** The public half of an instruction key, as agents are given it. */
export interface InstructionPublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  kid: string;
  x: string;
}

export interface InstructionSigningKey {
  kid: string;
  privateKey: KeyObject;
  /** What to add to every agent's FASIT_INSTRUCTION_PUBLIC_KEYS. */
  publicJwk: InstructionPublicJwk;
}

const KID = /^[A-Za-z0-9._-]{1,64}$/;
const HOW_SIGNING = 'an Ed25519 private key as a JWK with a "kid" (pnpm fasit keys instruction-signing --kid <id>)';
const HOW_PUBLIC = 'a JWK Set {"keys":[…]} of the dispatcher\'s Ed25519 public key(s), each with its "kid" (pnpm fasit keys instruction-signing prints it)';

function parseJson(raw: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new Error(`not JSON: ${what}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`not a JSON object: ${what}`);
  return value as Record<string, unknown>;
}

function publicJwkOf(jwk: Record<string, unknown>, where: string): InstructionPublicJwk {
  if (jwk['kty'] !== 'OKP' || jwk['crv'] !== 'Ed25519') throw new Error(`${where}: not an Ed25519 key (kty "OKP", crv "Ed25519")`);
  const kid = jwk['kid'];
  if (typeof kid !== 'string' || !KID.test(kid)) throw new Error(`${where}: needs a "kid" of 1-64 letters, digits, ".", "_" or "-"`);
  const x = jwk['x'];
  if (typeof x !== 'string') throw new Error(`${where}: no public key ("x")`);
  try {
    createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
  } catch {
    throw new Error(`${where}: "x" is not an Ed25519 public key`);
  }
  return { kty: 'OKP', crv: 'Ed25519', kid, x };
}

/** Parses FASIT_INSTRUCTION_SIGNING_KEY; throws an Error saying what is wrong (without echoing the key). */
export function parseInstructionSigningKey(raw: string): InstructionSigningKey {
  const jwk = parseJson(raw, HOW_SIGNING);
  const publicJwk = publicJwkOf(jwk, 'the key');
  if (typeof jwk['d'] !== 'string') throw new Error(`the key has no private part ("d"): ${HOW_SIGNING}`);
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicJwk.x, d: jwk['d'] }, format: 'jwk' });
  } catch {
    throw new Error('the key\'s "d" is not an Ed25519 private key');
  }
  // The public half agents are given must be the one that verifies what this key signs.
  if (createPublicKey(privateKey).export({ format: 'jwk' }).x !== publicJwk.x) throw new Error('the key\'s "x" is not the public half of its "d"');
  return { kid: publicJwk.kid, privateKey, publicJwk };
}

/** Parses FASIT_INSTRUCTION_PUBLIC_KEYS into a JWK Set of public keys only; throws an Error saying what is wrong. */
export function parseInstructionPublicKeys(raw: string): { keys: InstructionPublicJwk[] } {
  const set = parseJson(raw, HOW_PUBLIC);
  const keys = set['keys'];
  if (!Array.isArray(keys) || keys.length === 0) throw new Error(`no "keys": ${HOW_PUBLIC}`);
  const parsed = keys.map((k: unknown, i) => {
    if (typeof k !== 'object' || k === null) throw new Error(`keys[${i}]: not a JWK`);
    const jwk = k as Record<string, unknown>;
    // A private key handed to every agent would let each of them sign instructions for all the others.
    if ('d' in jwk) throw new Error(`keys[${i}]: holds a private key ("d"); give agents only the public key`);
    return publicJwkOf(jwk, `keys[${i}]`);
  });
  if (new Set(parsed.map((k) => k.kid)).size !== parsed.length) throw new Error('the key ids ("kid") must be unique');
  return { keys: parsed };
}

const problemOf =
  (parse: (raw: string) => unknown) =>
  (raw: string): string | undefined => {
    try {
      parse(raw);
      return undefined;
    } catch (e) {
      return (e as Error).message;
    }
  };

const holdsDevelopmentKey =
  (parse: (raw: string) => { x: string }[]) =>
  (raw: string): boolean => {
    try {
      return parse(raw).some((k) => k.x === DEVELOPMENT_INSTRUCTION_KEY_X);
    } catch {
      return false;
    }
  };

/** The dispatcher: the private key it signs every instruction with. */
export const instructionSigningSpec = {
  instructionSigningKey: {
    env: 'FASIT_INSTRUCTION_SIGNING_KEY',
    type: 'key',
    devDefault: DEVELOPMENT_KEYS.FASIT_INSTRUCTION_SIGNING_KEY,
    isPublic: holdsDevelopmentKey((raw) => [parseInstructionSigningKey(raw).publicJwk]),
    check: problemOf(parseInstructionSigningKey),
    how: HOW_SIGNING,
    doc: 'signs every instruction (Ed25519, JWS); only the dispatcher holds it, agents hold its public key',
  },
} as const satisfies Spec;

/** naisd: the public keys it accepts instructions from (several while a key is rotated). */
export const instructionTrustSpec = {
  instructionPublicKeys: {
    env: 'FASIT_INSTRUCTION_PUBLIC_KEYS',
    type: 'key',
    devDefault: DEVELOPMENT_KEYS.FASIT_INSTRUCTION_PUBLIC_KEYS,
    isPublic: holdsDevelopmentKey((raw) => parseInstructionPublicKeys(raw).keys),
    check: problemOf(parseInstructionPublicKeys),
    how: HOW_PUBLIC,
    doc: "the public keys instructions must be signed with (the dispatcher's; the new one and the old one while rotating)",
  },
} as const satisfies Spec;

/** A fresh instruction key: the dispatcher's FASIT_INSTRUCTION_SIGNING_KEY and the agents' FASIT_INSTRUCTION_PUBLIC_KEYS. */
export function generateInstructionKeys(kid: string): { signingKey: string; publicKeys: string } {
  if (!KID.test(kid)) throw new Error(`a key id is 1-64 letters, digits, ".", "_" or "-" (got ${JSON.stringify(kid)})`);
  const { privateKey } = generateKeyPairSync('ed25519');
  const signingKey = JSON.stringify({ ...privateKey.export({ format: 'jwk' }), kid });
  return { signingKey, publicKeys: JSON.stringify({ keys: [parseInstructionSigningKey(signingKey).publicJwk] }) };
}
