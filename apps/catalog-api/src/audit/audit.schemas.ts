// The audit log's contract (common/api-schema.ts).
import { json, nstr, str, time, Type, type Static } from '../common/api-schema.js';

export const auditView = Type.Object({
  id: str,
  actor: str,
  action: str,
  objectType: str,
  objectId: str,
  environmentId: nstr,
  feature: nstr,
  description: str,
  before: json,
  after: json,
  metadata: Type.Unsafe<Record<string, unknown>>({ type: 'object' }),
  createdAt: time,
});
export type AuditView = Static<typeof auditView>;
