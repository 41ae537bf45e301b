// The environment features API's contract: the disable request, the feature in an environment and the list of them
// (common/api-schema.ts).
import { decisionActions } from '@fasit/domain';
import { body, bool, enumOf, json, labels, nstr, nullable, str, strs, time, Type, type Static } from '../common/api-schema.js';
import { driftView } from '../drift/drift.schemas.js';

export const disableSchema = body({ reason: Type.String({ minLength: 1, maxLength: 1000, pattern: '\\S' }) });

export const pairState = enumOf(['DISABLED', 'PENDING', 'DEPLOYED', 'FAILED', 'UNKNOWN'] as const);
export const deployStatuses = ['sent', 'installing', 'deployed', 'failed'] as const;
const deployStatus = enumOf(deployStatuses);

/** Drift as an answer shows it: null when none is known. */
export const driftAnswer = Type.Unsafe<Static<typeof driftView> | null>({
  description:
    'What runs differs from what Fasit deployed, as the reconciler last saw it in a real inventory (docs/operations.md#drift); null: none known, or no real inventory (a dry-run agent)',
  oneOf: [{ type: 'null' }, driftView],
});

export const decisionView = Type.Object({ action: enumOf(decisionActions), message: str, featureVersion: nstr, assignmentId: nstr, hash: nstr, at: time });
export type DecisionView = Static<typeof decisionView>;

export const deployView = Type.Object({
  diid: str,
  featureVersion: str,
  assignmentId: nstr,
  hash: str,
  status: deployStatus,
  error: nstr,
  startedAt: time,
  updatedAt: time,
  history: Type.Array(Type.Object({ status: deployStatus, error: nstr, at: time })),
  logs: Type.Array(Type.Object({ time: str, msg: str, kind: str })),
});
export type DeployView = Static<typeof deployView>;

export const environmentFeatureView = Type.Object({
  tenant: str,
  environment: str,
  environmentId: str,
  feature: str,
  state: pairState,
  message: str,
  disabled: nullable(Type.Object({ reason: str, by: str, at: time })),
  reconcile: bool,
  desired: nullable(Type.Object({ assignmentId: str, version: str, target: labels })),
  current: nullable(Type.Object({ version: str, since: str })),
  rendered: nullable(Type.Object({ featureVersion: nstr, hash: nstr, at: time, values: json, provenance: json, masked: strs, revealed: bool })),
  lastDecision: nullable(decisionView),
  deploys: Type.Array(deployView),
  /** What runs differs from what Fasit deployed (the reconciler's last look at a real inventory); null: none known. */
  drift: driftAnswer,
});
export type EnvironmentFeatureView = Static<typeof environmentFeatureView>;

export const environmentFeatureSummary = Type.Object({
  feature: str,
  state: pairState,
  message: str,
  desiredVersion: nstr,
  assignmentId: nstr,
  lastDeployedVersion: nstr,
  disabledReason: nstr,
});
export type EnvironmentFeatureSummary = Static<typeof environmentFeatureSummary>;
