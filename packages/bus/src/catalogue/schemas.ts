// JSON Schemas of the event contracts, validated with ajv on publish and on receipt.
const str = { type: 'string', minLength: 1 } as const;
const uuid = { type: 'string', format: 'uuid' } as const;
const labels = { type: 'object', additionalProperties: { type: 'string' } } as const;
const v1 = { const: 'v1' } as const;
const nullableStr = { type: ['string', 'null'] } as const;

function obj(properties: Record<string, unknown>, optional: string[] = []) {
  return {
    type: 'object',
    additionalProperties: false,
    properties,
    required: Object.keys(properties).filter((k) => !optional.includes(k)),
  } as const;
}

export const assignmentChangedV1 = obj({
  version: v1, assignmentId: uuid, feature: str, featureVersion: str, target: labels, active: { type: 'boolean' },
  replacedAssignmentId: { anyOf: [uuid, { type: 'null' }] },
});
export const environmentChangedV1 = obj({
  version: v1, environmentId: uuid, tenant: str, name: str,
  kind: { enum: ['management', 'tenant', 'onprem', 'legacy'] }, labels, reconcile: { type: 'boolean' }, deleted: { type: 'boolean' },
});
export const configChangedV1 = obj({ version: v1, feature: str, environmentId: { anyOf: [uuid, { type: 'null' }] }, key: str });
export const environmentValueChangedV1 = obj({ version: v1, environmentId: uuid, key: str });
export const featureToggleChangedV1 = obj({ version: v1, environmentId: uuid, feature: str, disabled: { type: 'boolean' } });
export const redeployRequestedV1 = obj({ version: v1, environmentId: uuid, feature: str, requestedBy: str });
export const uninstallRequestedV1 = obj({ version: v1, diid: uuid, environmentId: uuid, tenant: str, environment: str, release: str, requestedBy: str });
export const targetsChangedV1 = obj(
  {
    version: v1, reason: str, force: { type: 'boolean' },
    pairs: { type: 'array', maxItems: 1000, items: obj({ environmentId: uuid, feature: str }) },
  },
  ['force'],
);
export const deployRequestedV1 = obj({
  version: v1, diid: uuid, environmentId: uuid, tenant: str, environment: str, assignmentId: uuid, feature: str,
  featureVersion: str, chart: str, chartDigest: str, hash: str, timeoutMs: { type: 'integer', minimum: 0 }, sealedValues: { type: 'string', minLength: 1 },
});
export const deployStatusChangedV1 = obj({
  version: v1, diid: uuid, environmentId: uuid, feature: str,
  status: { enum: ['sent', 'installing', 'deployed', 'failed'] }, hash: str, error: nullableStr,
});
/** A compact JWS of a signed instruction: room for 4 MB of sealed values, base64url-encoded once more. */
export const MAX_INSTRUCTION_JWS_LENGTH = 6_000_000;
export const signedInstructionV2 = obj({ version: { const: 'v2' }, jws: { type: 'string', minLength: 1, maxLength: MAX_INSTRUCTION_JWS_LENGTH } });
// A release name as helm takes it (a DNS label of at most 53 characters): never anything helm could read as a flag.
const releaseName = { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]{0,51}[a-z0-9])?$' } as const;
const timeoutMs = { type: 'integer', minimum: 0 } as const;
const seconds = { type: 'integer', minimum: 0 } as const;
export const instructionClaimsV2 = obj({
  iss: { const: 'fasit-dispatcher' }, aud: { type: 'string', pattern: '^[^/]+/[^/]+$' }, jti: uuid, iat: seconds, nbf: seconds, exp: seconds,
  instruction: {
    oneOf: [
      obj({
        action: { const: 'deploy' }, release: releaseName, chart: { type: 'string', pattern: '^oci://' },
        chartDigest: { type: 'string', pattern: '^sha256:[a-f0-9]{64}$' }, featureVersion: { type: 'string', pattern: '^[^-]' }, hash: str, timeoutMs,
        sealedValues: { type: 'string', minLength: 1, maxLength: 4_000_000 },
      }),
      obj({ action: { const: 'uninstall' }, release: releaseName, timeoutMs }),
    ],
  },
});
const release = obj(
  { name: str, chartVersion: { type: 'string' }, status: { type: 'string' }, revision: { type: 'integer' }, lastDeployed: nullableStr, valuesHash: { type: 'string', pattern: '^[a-f0-9]{64}$' } },
  ['valuesHash'],
);
const logLine = obj({ time: str, msg: { type: 'string' }, kind: { enum: ['helm', 'event'] } });
export const agentReportV1 = obj({
  version: v1, tenant: str, environment: str, sentAt: str,
  report: {
    oneOf: [
      obj({ type: { const: 'helm' }, diid: uuid, name: str, featureVersion: str, status: { enum: ['installing', 'deployed', 'failed'] }, hash: { type: 'string' }, error: nullableStr }),
      obj({ type: { const: 'heartbeat' }, agentVersion: str }),
      obj({ type: { const: 'inventory' }, releases: { type: 'array', maxItems: 5000, items: release }, real: { type: 'boolean' } }, ['real']),
      obj({ type: { const: 'log' }, diid: uuid, lines: { type: 'array', maxItems: 10000, items: logLine } }),
      obj({ type: { const: 'uninstall' }, diid: uuid, release: str, status: { enum: ['uninstalled', 'failed'] }, error: nullableStr }),
      obj({
        type: { const: 'refused' }, diid: { anyOf: [uuid, { type: 'null' }] }, verified: { type: 'boolean' }, error: { type: 'string', maxLength: 2000 },
        reason: { enum: ['malformed', 'unsigned', 'algorithm', 'unknown-key', 'bad-signature', 'wrong-environment', 'expired', 'not-yet-valid', 'replayed'] },
      }),
    ],
  },
});
