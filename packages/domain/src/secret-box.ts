// Secrets at rest: AES-256-GCM with a key from configuration. The stored form names the key that sealed it
// (`v1.<keyId>.<iv>.<tag>.<ciphertext>`, base64url), so keys can be rotated: the first configured key seals,
// every configured key opens, and `needsRotation` tells which rows to re-seal. The additional authenticated data
// binds a ciphertext to its row (a sealed value copied to another row does not open).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

import { DomainError } from './errors.js';

export const MASK = '*****';

export class SecretBox {
  private readonly keys: Map<string, Buffer>;
  readonly activeKeyId: string;

  constructor(keys: { id: string; key: Buffer }[]) {
    const first = keys[0];
    if (!first) throw new DomainError('INVALID_INPUT', 'FASIT_SECRET_KEYS: at least one key is needed');
    this.keys = new Map(keys.map((k) => [k.id, k.key]));
    this.activeKeyId = first.id;
  }

  /** Parses `id:base64key,id2:base64key` (FASIT_SECRET_KEYS; in development mode @fasit/config supplies a public key). */
  static fromConfig(spec: string): SecretBox {
    const problems: string[] = [];
    const keys = spec
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)
      .map((part) => {
        const i = part.indexOf(':');
        const id = i > 0 ? part.slice(0, i) : '';
        const key = Buffer.from(part.slice(i + 1), 'base64');
        if (!/^[A-Za-z0-9_-]{1,32}$/.test(id))
          problems.push(`FASIT_SECRET_KEYS: "${id || part.slice(0, 8)}…": a key is "<id>:<base64 of 32 bytes>" with an id of letters, digits, "-" or "_"`);
        else if (key.length !== 32) problems.push(`FASIT_SECRET_KEYS: key "${id}" is ${key.length} bytes; AES-256 needs 32 (openssl rand -base64 32)`);
        return { id, key };
      });
    if (new Set(keys.map((k) => k.id)).size !== keys.length) problems.push('FASIT_SECRET_KEYS: key ids must be unique');
    if (problems.length > 0) throw new DomainError('INVALID_INPUT', problems.join('; '));
    return new SecretBox(keys);
  }

  seal(value: unknown, context: string): string {
    const key = this.keys.get(this.activeKeyId)!;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(context));
    const ct = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return ['v1', this.activeKeyId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
  }

  open(sealed: string, context: string): unknown {
    const [v, keyId, iv, tag, ct] = sealed.split('.');
    const key = keyId ? this.keys.get(keyId) : undefined;
    if (v !== 'v1' || !key || iv === undefined || tag === undefined || ct === undefined) {
      throw new DomainError('INTERNAL', `a secret is sealed with key "${keyId ?? '?'}", which is not configured (FASIT_SECRET_KEYS)`);
    }
    try {
      const d = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      d.setAAD(Buffer.from(context));
      d.setAuthTag(Buffer.from(tag, 'base64url'));
      return JSON.parse(Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]).toString('utf8')) as unknown;
    } catch {
      throw new DomainError('INTERNAL', `a secret sealed with key "${keyId}" does not open (wrong key or tampered row)`);
    }
  }

  needsRotation(sealed: string): boolean {
    return sealed.split('.')[1] !== this.activeKeyId;
  }
}

export const envValueContext = (environmentId: string, key: string): string => `environment-value:${environmentId}:${key}`;
export const configContext = (feature: string, environmentId: string | null, key: string): string => `config:${feature}:${environmentId ?? 'global'}:${key}`;
/** The reconciler's sealed copy of the rendered values of one feature in one environment. */
export const decisionContext = (environmentId: string, feature: string): string => `decision:${environmentId}:${feature}`;
