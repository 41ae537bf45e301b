// The environment values API's contract (common/api-schema.ts).
import { body, bool, json, str, time, Type, type Static } from '../common/api-schema.js';

export const putValueSchema = body({ value: json, secret: Type.Optional(bool) });

export const environmentValueView = Type.Object({
  environmentId: str,
  tenant: str,
  environment: str,
  key: str,
  value: json,
  secret: bool,
  /** True when `value` is the mask, not the value. */
  masked: bool,
  updatedAt: time,
});
export type EnvironmentValueView = Static<typeof environmentValueView>;
