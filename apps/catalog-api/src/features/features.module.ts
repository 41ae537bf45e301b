import { Module } from '@nestjs/common';
import { OciClient } from '@fasit/oci';
import { CATALOG_CONFIG, ociAllowedHosts, type CatalogConfig } from '../settings/catalog.settings.js';
import { ChartIngestService, OCI_CLIENT } from './chart-ingest.service.js';
import { FeatureController } from './feature.controller.js';
import { FeatureService } from './feature.service.js';

/** The only registries the catalog dials (FASIT_OCI_REGISTRIES), plain HTTP for loopback and the listed insecure hosts. */
export function ociClientFor(config: CatalogConfig): OciClient {
  return new OciClient({
    allowedHosts: ociAllowedHosts(config),
    insecureHosts: [
      'localhost',
      '127.0.0.1',
      '[::1]',
      ...config.ociInsecureHosts
        .split(',')
        .map((h) => h.trim())
        .filter(Boolean),
    ],
    ...(config.ociUsername && config.ociPassword ? { credentials: () => ({ username: config.ociUsername!, password: config.ociPassword! }) } : {}),
  });
}

@Module({
  controllers: [FeatureController],
  providers: [{ provide: OCI_CLIENT, useFactory: ociClientFor, inject: [CATALOG_CONFIG] }, ChartIngestService, FeatureService],
  exports: [ChartIngestService],
})
export class FeaturesModule {}
