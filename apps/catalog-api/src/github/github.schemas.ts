// The GitHub Action's request (common/api-schema.ts).
import { body, json, Type, type Static } from '../common/api-schema.js';
import { labelsInput } from '../environments/environment.schemas.js';

export const githubAssignmentSchema = body({
  chart: Type.String({ minLength: 1, maxLength: 500 }),
  version: Type.String({ minLength: 1, maxLength: 128 }),
  description: Type.Optional(Type.String({ maxLength: 1000 })),
  ref: Type.Optional(
    Type.Object(
      { owner: Type.String({ maxLength: 200 }), repo: Type.String({ maxLength: 200 }), ref: Type.String({ maxLength: 500 }) },
      { additionalProperties: false },
    ),
  ),
  target: labelsInput,
  global: Type.Optional(json),
});
export type GithubAssignmentInput = Static<typeof githubAssignmentSchema>;
