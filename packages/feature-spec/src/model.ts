/** Kinds of environment a feature can run in. */
export const ENVIRONMENT_KINDS = ['management', 'tenant', 'onprem'] as const;
/** Kinds accepted in Feature.yaml only so that older files keep working (reported as a warning). */
export const DEPRECATED_ENVIRONMENT_KINDS = ['legacy'] as const;

export type EnvironmentKind = (typeof ENVIRONMENT_KINDS)[number];
/** A kind as written in Feature.yaml: a current kind, or the deprecated `legacy`. */
export type FeatureEnvironmentKind = EnvironmentKind | (typeof DEPRECATED_ENVIRONMENT_KINDS)[number];

export const CONFIG_TYPES = ['string', 'int', 'bool', 'string_array'] as const;
export type ConfigType = (typeof CONFIG_TYPES)[number];

/** A dependency rule: all of `allOf` and at least one of `anyOf` must be deployed in the environment. */
export interface FeatureDependency {
  allOf?: string[];
  anyOf?: string[];
}

export interface FeatureValueConfig {
  type: ConfigType;
  secret?: boolean;
}

export interface FeatureValueComputed {
  template: string;
}

/** One managed Helm value. Has `config`, `computed`, or both. */
export interface FeatureValue {
  displayName?: string;
  description?: string;
  required?: boolean;
  config?: FeatureValueConfig;
  computed?: FeatureValueComputed;
  ignoreKind?: FeatureEnvironmentKind[];
}

/** A validated Feature.yaml. Deprecated spellings are normalised away (see the warnings of the parse). */
export interface FeatureSpec {
  environmentKinds: FeatureEnvironmentKind[];
  timeout?: string;
  dependencies?: FeatureDependency[];
  /** Keyed by the dotted Helm key exactly as written (escapes kept); split it with `splitHelmKey`. */
  values: Record<string, FeatureValue>;
}

export function isConfigType(value: unknown): value is ConfigType {
  return typeof value === 'string' && (CONFIG_TYPES as readonly string[]).includes(value);
}
