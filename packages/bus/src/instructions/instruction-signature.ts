// Instructions signed end to end: the dispatcher signs each one (a JWT, Ed25519, with jose) over all of it — the
// environment (audience), the diid, action, release, chart and digest, version, hash, timeout, sealed values,
// issued-at and expiry — with a private key only it holds; each agent verifies it with the public key(s) it is
// given before anything else, and acts on the verified claims only. See docs/decisions/0010-signed-instructions.md.
import type { KeyObject } from 'node:crypto';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify, SignJWT, type JSONWebKeySet } from 'jose';
import type { InstructionBody, InstructionClaimsV2, InstructionRefusalReason, SignedInstructionV2 } from '../catalogue/events.js';
import { ContractViolation, validateInstructionClaims } from '../catalogue/validation.js';

export const INSTRUCTION_ALGORITHM = 'Ed25519';
export const INSTRUCTION_TYPE = 'fasit-instruction+jwt';
export const INSTRUCTION_ISSUER = 'fasit-dispatcher';
/** Clocks of the control plane and an agent may differ by this much. */
export const INSTRUCTION_CLOCK_SKEW_SECONDS = 60;
/** No instruction is run more than this long after it was issued, whatever its expiry says. */
export const INSTRUCTION_MAX_AGE_SECONDS = 24 * 60 * 60;

/** `<tenant>/<environment>`: the audience of an environment's instructions. */
export const instructionAudience = (tenant: string, environment: string): string => `${tenant}/${environment}`;

/** An instruction whose signature, audience and validity have been checked. */
export type VerifiedInstruction = InstructionBody & {
  diid: string;
  tenant: string;
  environment: string;
  issuedAt: Date;
  expiresAt: Date;
};

/** An instruction the agent does not run, and why (reported to the control plane). */
export class InstructionRefused extends Error {
  override readonly name = 'InstructionRefused';
  constructor(
    readonly reason: InstructionRefusalReason,
    message: string,
    /** The diid the message claims (null when none can be read). */
    readonly diid: string | null,
    /** Whether the signature held: the diid and its environment are then the control plane's own, not merely claimed. */
    readonly verified: boolean,
  ) {
    super(message);
  }
}

export class InstructionSigner {
  constructor(
    private readonly key: { kid: string; privateKey: KeyObject },
    /** How long an instruction may wait for its agent (the dispatcher's deploy timeout: after it the deploy is given up). */
    private readonly ttlMs: number,
  ) {
    if (ttlMs <= 0 || ttlMs > INSTRUCTION_MAX_AGE_SECONDS * 1000)
      throw new RangeError(`an instruction's time to live must be within (0, ${INSTRUCTION_MAX_AGE_SECONDS} s]`);
  }

  /** Signs `body` for the agent of `tenant/environment`; refuses (ContractViolation) what no agent would accept. */
  async sign(to: { tenant: string; environment: string; diid: string }, body: InstructionBody, now = new Date()): Promise<SignedInstructionV2> {
    const iat = Math.floor(now.getTime() / 1000);
    const claims: InstructionClaimsV2 = {
      iss: INSTRUCTION_ISSUER,
      aud: instructionAudience(to.tenant, to.environment),
      jti: to.diid,
      iat,
      nbf: iat,
      exp: iat + Math.floor(this.ttlMs / 1000),
      instruction: body,
    };
    validateInstructionClaims(claims);
    const jws = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: INSTRUCTION_ALGORITHM, kid: this.key.kid, typ: INSTRUCTION_TYPE })
      .sign(this.key.privateKey);
    return { version: 'v2', jws };
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const claimedDiid = (value: unknown): string | null => (typeof value === 'string' && UUID.test(value) ? value : null);
const iso = (seconds: unknown): string => (typeof seconds === 'number' && Number.isFinite(seconds) ? new Date(seconds * 1000).toISOString() : '?');

export class InstructionVerifier {
  private readonly keys: ReturnType<typeof createLocalJWKSet>;
  private readonly audience: string;

  constructor(
    publicKeys: JSONWebKeySet,
    private readonly tenant: string,
    private readonly environment: string,
  ) {
    this.keys = createLocalJWKSet(publicKeys);
    this.audience = instructionAudience(tenant, environment);
  }

  /** The instruction, if it is signed by a trusted key, for this environment, and valid now; else InstructionRefused. */
  async verify(jws: string, now = new Date()): Promise<VerifiedInstruction> {
    const claimed = this.claimedDiid(jws);
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(jws);
    } catch {
      throw new InstructionRefused('malformed', 'the instruction is not a signed instruction (a compact JWS)', claimed, false);
    }
    if (header.alg === 'none' || jws.endsWith('.')) {
      throw new InstructionRefused('unsigned', 'the instruction carries no signature', claimed, false);
    }
    let claims: Record<string, unknown>;
    try {
      ({ payload: claims } = await jwtVerify(jws, this.keys, {
        algorithms: [INSTRUCTION_ALGORITHM],
        typ: INSTRUCTION_TYPE,
        issuer: INSTRUCTION_ISSUER,
        audience: this.audience,
        requiredClaims: ['jti', 'iat', 'nbf', 'exp'],
        clockTolerance: INSTRUCTION_CLOCK_SKEW_SECONDS,
        maxTokenAge: INSTRUCTION_MAX_AGE_SECONDS,
        currentDate: now,
      }));
    } catch (e) {
      throw this.refusal(e, header, claimed);
    }
    try {
      validateInstructionClaims(claims);
    } catch (e) {
      // Signed by a trusted key, but not an instruction this agent understands: run nothing.
      if (e instanceof ContractViolation) throw new InstructionRefused('malformed', e.message, claimed, true);
      throw e;
    }
    return {
      ...claims.instruction,
      diid: claims.jti,
      tenant: this.tenant,
      environment: this.environment,
      issuedAt: new Date(claims.iat * 1000),
      expiresAt: new Date(claims.exp * 1000),
    };
  }

  private claimedDiid(jws: string): string | null {
    try {
      return claimedDiid(decodeJwt(jws).jti);
    } catch {
      return null;
    }
  }

  private refusal(e: unknown, header: { alg?: string; kid?: string }, diid: string | null): InstructionRefused {
    if (e instanceof errors.JOSEAlgNotAllowed) {
      return new InstructionRefused(
        'algorithm',
        `the instruction is signed with ${JSON.stringify(header.alg ?? null)}; only ${INSTRUCTION_ALGORITHM} signatures by the control plane are accepted`,
        diid,
        false,
      );
    }
    if (e instanceof errors.JWKSNoMatchingKey || e instanceof errors.JWKSMultipleMatchingKeys) {
      return new InstructionRefused(
        'unknown-key',
        `the instruction is signed with key ${JSON.stringify(header.kid ?? null)}, which is not among this agent's FASIT_INSTRUCTION_PUBLIC_KEYS`,
        diid,
        false,
      );
    }
    if (e instanceof errors.JWSSignatureVerificationFailed) {
      return new InstructionRefused(
        'bad-signature',
        "the instruction's signature does not verify: it was changed after signing, or signed by another key",
        diid,
        false,
      );
    }
    // Claims are checked after the signature held: what follows is the control plane's own instruction.
    if (e instanceof errors.JWTExpired) {
      return new InstructionRefused('expired', `the instruction expired at ${iso(e.payload['exp'])}`, claimedDiid(e.payload['jti']), true);
    }
    if (e instanceof errors.JWTClaimValidationFailed) {
      const p = e.payload;
      switch (e.claim) {
        case 'aud':
          return new InstructionRefused(
            'wrong-environment',
            `the instruction is for ${JSON.stringify(p['aud'])}, not for this environment (${this.audience})`,
            claimedDiid(p['jti']),
            true,
          );
        case 'nbf':
        case 'iat':
          return new InstructionRefused(
            'not-yet-valid',
            `the instruction is valid from ${iso(p['nbf'] ?? p['iat'])}, later than this agent's clock (${INSTRUCTION_CLOCK_SKEW_SECONDS} s of skew allowed)`,
            claimedDiid(p['jti']),
            true,
          );
        default:
          return new InstructionRefused('malformed', `the instruction's "${e.claim}" is wrong: ${e.reason}`, claimedDiid(p['jti']), true);
      }
    }
    if (e instanceof errors.JOSEError) return new InstructionRefused('malformed', `the instruction cannot be read: ${e.message}`, diid, false);
    return new InstructionRefused('malformed', `the instruction cannot be read: ${e instanceof Error ? e.message : String(e)}`, diid, false);
  }
}

/**
 * The refusal of a message on an instruction topic that breaks the topic's contract (not JSON, not the v2
 * envelope, too long). One without a `jws` (the v1 shape, say) is an unsigned instruction.
 */
export function refusalOfUnreadable(raw: string, violation: string): InstructionRefused {
  let message: unknown;
  try {
    message = JSON.parse(raw);
  } catch {
    return new InstructionRefused('malformed', 'the message is not JSON', null, false);
  }
  if (typeof message === 'object' && message !== null && !Array.isArray(message) && !('jws' in message)) {
    return new InstructionRefused('unsigned', 'the instruction carries no signature (no "jws")', claimedDiid((message as { diid?: unknown }).diid), false);
  }
  return new InstructionRefused('malformed', `the message breaks the instruction contract: ${violation.slice(0, 300)}`, null, false);
}
