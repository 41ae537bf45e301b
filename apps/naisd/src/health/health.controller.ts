import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { NAISD_CONFIG, isDryRun, type NaisdConfig } from '../config/naisd.config.js';
import { ReadinessState } from './readiness.state.js';

interface Reply {
  status(code: number): { json(body: unknown): void };
}

@Controller()
export class HealthController {
  constructor(
    private readonly readiness: ReadinessState,
    @Inject(NAISD_CONFIG) private readonly config: Pick<NaisdConfig, 'tenant' | 'environment' | 'kubeconfig'>,
  ) {}

  /** Liveness: the process answers. */
  @Get('healthz')
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: helm works and instructions are being consumed. */
  @Get('readyz')
  readyz(@Res() res: Reply): void {
    const missing = this.readiness.missing();
    const body = { tenant: this.config.tenant, environment: this.config.environment, mode: isDryRun(this.config) ? 'dry-run' : 'cluster' };
    if (missing.length === 0) res.status(HttpStatus.OK).json({ status: 'ready', ...body });
    else res.status(HttpStatus.SERVICE_UNAVAILABLE).json({ status: 'not-ready', missing, ...body });
  }
}
