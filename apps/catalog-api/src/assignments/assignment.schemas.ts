// The assignments API's contract: the create and preview requests and the assignment view (common/api-schema.ts).
// The status, deactivation and preview answers are described in openapi/openapi.schemas.ts.
import { body, bool, labels, nstr, ntime, str, time, Type, type Static } from '../common/api-schema.js';
import { labelsInput } from '../environments/environment.schemas.js';
import type { SourceRef } from './assignment.entity.js';

const featureName = Type.String({ minLength: 1, maxLength: 63 });
const version = Type.String({ minLength: 1, maxLength: 128 });
const sourceRefInput = Type.Object(
  {
    owner: Type.Optional(Type.String({ maxLength: 200 })),
    repo: Type.Optional(Type.String({ maxLength: 200 })),
    ref: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

export const createAssignmentSchema = body({
  chart: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  feature: Type.Optional(featureName),
  version,
  target: labelsInput,
  description: Type.Optional(Type.String({ maxLength: 1000 })),
  sourceRef: Type.Optional(sourceRefInput),
});
export type CreateAssignmentInput = Static<typeof createAssignmentSchema>;

export const previewSchema = body({ feature: featureName, version, target: labelsInput });

export const assignmentView = Type.Object({
  id: str,
  feature: str,
  version: str,
  target: labels,
  description: str,
  /** Where it came from: a repository, commit and (GitHub Actions) workflow run. */
  sourceRef: Type.Unsafe<SourceRef | null>({ type: ['object', 'null'] }),
  active: bool,
  createdBy: str,
  createdAt: time,
  deactivatedAt: ntime,
  replacedBy: nstr,
});
export type AssignmentView = Static<typeof assignmentView>;
