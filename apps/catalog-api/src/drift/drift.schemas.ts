// Drift as the API shows it (common/api-schema.ts).
import { driftKinds, driftPolicies } from '@fasit/domain';
import { enumOf, int, ntime, str, time, Type, type Static } from '../common/api-schema.js';

export const driftView = Type.Object({
  kind: enumOf(driftKinds),
  message: str,
  /** The environment's policy when the reconciler last looked: `report`, or `correct` (it redeploys). */
  policy: enumOf(driftPolicies),
  /** First seen (for the deployed desired state), and last confirmed by an inventory. */
  since: time,
  checkedAt: time,
  /** Redeploys the reconciler made to correct it (policy `correct`), and the last one's time. */
  corrections: int,
  lastCorrectionAt: ntime,
});
export type DriftView = Static<typeof driftView>;
