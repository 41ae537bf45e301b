// The feature configuration API's contract (common/api-schema.ts).
import { body, bool, enumOf, json, nstr, str, time, Type, type Static } from '../common/api-schema.js';

export const putFeatureConfigSchema = body({ value: json, description: Type.Optional(Type.String({ maxLength: 1000 })) });

export const featureConfigView = Type.Object({
  feature: str,
  /** null for global configuration. */
  environmentId: nstr,
  tenant: nstr,
  environment: nstr,
  key: str,
  type: enumOf(['string', 'int', 'bool', 'string_array', null] as const),
  value: json,
  secret: bool,
  masked: bool,
  description: str,
  updatedBy: str,
  updatedAt: time,
});
export type FeatureConfigView = Static<typeof featureConfigView>;
