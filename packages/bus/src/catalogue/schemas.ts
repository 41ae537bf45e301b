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
export const deployInstructionV1 = obj({
  version: v1, diid: uuid, action: { enum: ['deploy', 'uninstall'] }, name: str, featureVersion: { type: 'string' },
  chart: { type: 'string' }, hash: { type: 'string' }, timeoutMs: { type: 'integer', minimum: 0 }, sealedValues: { type: 'string', maxLength: 4_000_000 },
});
const release = obj({ name: str, chartVersion: { type: 'string' }, status: { type: 'string' }, revision: { type: 'integer' }, lastDeployed: nullableStr });
const logLine = obj({ time: str, msg: { type: 'string' }, kind: { enum: ['helm', 'event'] } });
export const agentReportV1 = obj({
  version: v1, tenant: str, environment: str, sentAt: str,
  report: {
    oneOf: [
      obj({ type: { const: 'helm' }, diid: uuid, name: str, featureVersion: str, status: { enum: ['installing', 'deployed', 'failed'] }, hash: { type: 'string' }, error: nullableStr }),
      obj({ type: { const: 'heartbeat' }, agentVersion: str }),
      obj({ type: { const: 'inventory' }, releases: { type: 'array', maxItems: 5000, items: release } }),
      obj({ type: { const: 'log' }, diid: uuid, lines: { type: 'array', maxItems: 10000, items: logLine } }),
      obj({ type: { const: 'uninstall' }, diid: uuid, release: str, status: { enum: ['uninstalled', 'failed'] }, error: nullableStr }),
    ],
  },
});
