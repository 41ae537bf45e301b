import { Controller } from '@nestjs/common';
import { MetricsController } from '@fasit/metrics';
import { Allow, policies } from '../auth/policy.js';

/** `/metrics` (Prometheus text): public like /healthz — aggregate counts with bounded labels, no tenant's data (docs/operations.md). */
@Controller()
@Allow(policies.public)
export class CatalogMetricsController extends MetricsController {}
