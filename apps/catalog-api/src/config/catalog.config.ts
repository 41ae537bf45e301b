import { busSpec, databaseSpec, httpSpec, logSpec, readConfig, type ConfigOf, type Spec } from '@fasit/config';

export const catalogSpec = {
  ...databaseSpec,
  ...busSpec,
  ...httpSpec,
  ...logSpec,
  ociInsecureHosts: { env: 'FASIT_OCI_INSECURE_HOSTS', type: 'string', default: '', doc: 'comma-separated registry hosts reached over plain HTTP besides loopback' },
  ociUsername: { env: 'FASIT_OCI_USERNAME', type: 'optional-string' },
  ociPassword: { env: 'FASIT_OCI_PASSWORD', type: 'optional-string' },
  maxBodyBytes: { env: 'FASIT_MAX_BODY_BYTES', type: 'int', default: 1_048_576, min: 1024 },
} as const satisfies Spec;

export type CatalogConfig = ConfigOf<typeof catalogSpec>;
export const CATALOG_CONFIG = Symbol('CATALOG_CONFIG');

export function loadCatalogConfig(): CatalogConfig {
  return readConfig(catalogSpec);
}
