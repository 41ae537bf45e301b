// The catalog's SecretBox (@fasit/domain: AES-256-GCM, row-bound, rotatable; the reconciler opens the same rows)
// built from FASIT_SECRET_KEYS. A badly formed key stops the process like any other configuration error.
import { ConfigError } from '@fasit/config';
import { DomainError, SecretBox } from '@fasit/domain';

export const SECRET_BOX = Symbol('SECRET_BOX');

export function secretBoxFromConfig(spec: string): SecretBox {
  try {
    return SecretBox.fromConfig(spec);
  } catch (e) {
    if (e instanceof DomainError) throw new ConfigError([e.message]);
    throw e;
  }
}
