// The features API's contract: the ingest request and the feature views (common/api-schema.ts).
import { body, bool, enumOf, int, json, nstr, str, strs, time, Type, type Static } from '../common/api-schema.js';

export const ingestSchema = body({ chart: Type.String({ minLength: 1, maxLength: 500 }), version: Type.String({ minLength: 1, maxLength: 128 }) });

export const featureVersionView = Type.Object({
  feature: str,
  version: str,
  chart: str,
  chartDigest: str,
  description: str,
  source: nstr,
  kinds: strs,
  createdAt: time,
});
export type FeatureVersionView = Static<typeof featureVersionView>;

const summary = { name: str, latestVersion: str, chart: str, description: str, versions: int, activeAssignments: int };
export const featureSummary = Type.Object(summary);
export type FeatureSummary = Static<typeof featureSummary>;

export const featureDetail = Type.Object({
  ...summary,
  kinds: strs,
  configKeys: Type.Array(
    Type.Object({
      key: str,
      type: enumOf(['string', 'int', 'bool', 'string_array'] as const),
      secret: bool,
      required: bool,
      description: nstr,
      default: Type.Optional(json),
    }),
  ),
  computedKeys: strs,
  dependencies: Type.Array(Type.Object({ allOf: Type.Optional(strs), anyOf: Type.Optional(strs) })),
  featureYaml: str,
});
export type FeatureDetail = Static<typeof featureDetail>;

export const versionListing = Type.Object({
  feature: str,
  stored: Type.Array(Type.Unsafe<FeatureVersionView>({ $ref: '#/components/schemas/FeatureVersion' })),
  registry: Type.Object({ chart: str, tags: strs, notStored: strs, error: nstr }),
});
export type VersionListing = Static<typeof versionListing>;
