import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';

export const READINESS = Symbol('READINESS');
export type ReadinessCheck = () => Promise<void>;

@Controller()
export class HealthController {
  constructor(@Inject(READINESS) private readonly ready: ReadinessCheck) {}

  @Get('healthz')
  healthz(): { status: string } {
    return { status: 'ok' };
  }

  @Get('readyz')
  async readyz(): Promise<{ status: string }> {
    try {
      await this.ready();
      return { status: 'ready' };
    } catch (e) {
      throw new ServiceUnavailableException(`not ready: ${(e as Error).message}`);
    }
  }
}
