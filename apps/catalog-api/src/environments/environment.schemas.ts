// The environments API's contract: request bodies and the environment view (common/api-schema.ts).
import { driftPolicies } from '@fasit/domain';
import { body, bool, enumOf, labels, nstr, str, time, Type, type Static } from '../common/api-schema.js';

/** Labels in a request: at most 64, each value a string of at most 63 characters. */
export const labelsInput = Type.Unsafe<Record<string, string>>({ type: 'object', maxProperties: 64, additionalProperties: { type: 'string', maxLength: 63 } });
const issuer = Type.String({ maxLength: 2000 });
const nissuer = Type.Unsafe<string | null>({ type: ['string', 'null'], maxLength: 2000 });

export const createEnvironmentSchema = body({
  name: Type.String({ maxLength: 63 }),
  kind: enumOf(['management', 'tenant', 'onprem'] as const),
  labels: Type.Optional(labelsInput),
  description: Type.Optional(Type.String({ maxLength: 1000 })),
  reconcile: Type.Optional(bool),
  driftPolicy: Type.Optional(enumOf(driftPolicies)),
  oidcIssuer: Type.Optional(issuer),
  oidcDiscoveryUrl: Type.Optional(issuer),
});

export const updateEnvironmentSchema = body(
  {
    labels: Type.Optional(labelsInput),
    labelsMode: Type.Optional(enumOf(['merge', 'replace'] as const)),
    description: Type.Optional(Type.String({ maxLength: 1000 })),
    reconcile: Type.Optional(bool),
    driftPolicy: Type.Optional(enumOf(driftPolicies)),
    oidcIssuer: Type.Optional(nissuer),
    oidcDiscoveryUrl: Type.Optional(nissuer),
  },
  { minProperties: 1 },
);

export const environmentView = Type.Object({
  id: str,
  tenant: str,
  name: str,
  kind: enumOf(['management', 'tenant', 'onprem', 'legacy'] as const),
  description: str,
  labels,
  reconcile: bool,
  /** What the reconciler does about drift here: `report` it, or `correct` it by redeploying (docs/operations.md). */
  driftPolicy: enumOf(driftPolicies),
  /** The issuer of the cluster's service-account tokens, and its discovery URL (to validate tokens minted in that cluster). */
  oidcIssuer: nstr,
  oidcDiscoveryUrl: nstr,
  createdAt: time,
});
export type EnvironmentView = Static<typeof environmentView>;
