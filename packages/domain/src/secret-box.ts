// Secrets at rest: AES-256-GCM with a key ring. Ciphertext is `v1:<keyId>:<iv>:<tag>:<data>` (base64url parts),
// so the key can be rotated: new writes use the primary key, reads find the key by id. The catalog encrypts
// secret configuration and environment values; the reconciler decrypts them to render values.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { DomainError } from './errors.js';

export interface KeyRing {
  /** Key used for new encryptions. */
  primary: string;
  /** keyId → 32-byte key. */
  keys: ReadonlyMap<string, Buffer>;
}

/**
 * Parses `id1:base64key,id2:base64key` (the first is primary). A key that is not 32 bytes of base64 is
 * refused; a passphrase can be given as `id:pass:<text>` and is stretched with SHA-256 (development only).
 */
export function parseKeyRing(spec: string): KeyRing {
  const keys = new Map<string, Buffer>();
  let primary: string | undefined;
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [id, ...rest] = part.split(':');
    const material = rest.join(':');
    if (!id || !material) throw new DomainError('INVALID_INPUT', `secret key "${part.slice(0, 8)}…": expected <id>:<base64 32-byte key>`);
    const key = material.startsWith('pass:') ? createHash('sha256').update(material.slice(5)).digest() : Buffer.from(material, 'base64');
    if (key.length !== 32) throw new DomainError('INVALID_INPUT', `secret key "${id}": must be 32 bytes (base64), got ${key.length}`);
    keys.set(id, key);
    primary ??= id;
  }
  if (!primary) throw new DomainError('INVALID_INPUT', 'secret key ring is empty');
  return { primary, keys };
}

export function encryptSecret(ring: KeyRing, plaintext: string): string {
  const key = ring.keys.get(ring.primary)!;
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(ring.primary));
  const data = Buffer.concat([c.update(plaintext, 'utf8'), c.final()]);
  return ['v1', ring.primary, iv.toString('base64url'), c.getAuthTag().toString('base64url'), data.toString('base64url')].join(':');
}

export function decryptSecret(ring: KeyRing, box: string): string {
  const [v, keyId, iv, tag, data] = box.split(':');
  if (v !== 'v1' || !keyId || !iv || !tag || data === undefined) throw new DomainError('INTERNAL', 'encrypted value is malformed');
  const key = ring.keys.get(keyId);
  if (!key) throw new DomainError('INTERNAL', `encrypted with key "${keyId}", which is not in the key ring`);
  const d = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  d.setAAD(Buffer.from(keyId));
  d.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([d.update(Buffer.from(data, 'base64url')), d.final()]).toString('utf8');
}

/** The key id a box was sealed with (to find rows to re-encrypt after a rotation). */
export function secretKeyId(box: string): string | undefined {
  return box.split(':')[1];
}
