import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import * as addFormatsModule from 'ajv-formats';
import type { InstructionClaimsV2 } from './events.js';
import { instructionClaimsV2 } from './schemas.js';
import { catalogueEntryOf, topics, type TopicName } from './topics.js';

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
