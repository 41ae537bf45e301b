import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import * as addFormatsModule from 'ajv-formats';
import type { InstructionClaimsV2 } from './events.js';
import { instructionClaimsV2 } from './schemas.js';
import { decodeJwt } from 'jose';
import { ENVIRONMENT_ATTRIBUTE, catalogueEntryOf, topics, type TopicName } from './topics.js';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default: { default?: unknown } }).default.default ??
  (addFormatsModule as unknown as { default: unknown }).default) as (ajv: Ajv2020) => Ajv2020;

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validators = new Map<TopicName, ValidateFunction>();

/** A message that does not match its topic's contract. Never retryable: it goes to the dead-letter topic. */
export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';
  readonly code = 'CONTRACT_VIOLATION';
  readonly retryable = false;
}

export function validatePayload(topic: string, payload: unknown): void {
  const entry = catalogueEntryOf(topic);
  if (!entry) throw new ContractViolation(`topic ${topic} is not in the catalogue`);
  let v = validators.get(entry);
  if (!v) {
    v = ajv.compile(topics[entry].schema);
    validators.set(entry, v);
  }
  if (!v(payload)) {
    const detail = (v.errors ?? [])
      .slice(0, 5)
      .map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`)
      .join('; ');
    throw new ContractViolation(`${topic}: payload does not match the ${entry} contract: ${detail}`);
  }
}

/**
 * The attributes a topic's messages must carry: a v3 instruction (on a shard shared by many environments) names its
 * environment in `environment`, the audience of its claims (read unverified here; the agent verifies), so that the
 * agents' filtered subscriptions get it. A message without it would reach no agent.
 */
export function validateAttributes(topic: string, payload: unknown, attributes: Readonly<Record<string, string>>): void {
  if (catalogueEntryOf(topic) !== 'naisd.instructions.v3') return;
  const environment = attributes[ENVIRONMENT_ATTRIBUTE];
  if (environment === undefined) throw new ContractViolation(`${topic}: the attribute ${ENVIRONMENT_ATTRIBUTE} is missing`);
  let audience: unknown;
  try {
    audience = decodeJwt((payload as { jws: string }).jws).aud;
  } catch {
    audience = undefined;
  }
  if (environment !== audience)
    throw new ContractViolation(`${topic}: the attribute ${ENVIRONMENT_ATTRIBUTE} (${environment}) is not the instruction's environment (${String(audience)})`);
}

let claimsValidator: ValidateFunction | undefined;

/** Checks the claims of a signed instruction against their contract (both when signing and after verifying). */
export function validateInstructionClaims(claims: unknown): asserts claims is InstructionClaimsV2 {
  claimsValidator ??= ajv.compile(instructionClaimsV2);
  if (!claimsValidator(claims)) {
    const detail = (claimsValidator.errors ?? [])
      .slice(0, 5)
      .map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`)
      .join('; ');
    throw new ContractViolation(`the instruction does not match its contract: ${detail}`);
  }
}
