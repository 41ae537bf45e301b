import { Controller, Get, HttpCode, ServiceUnavailableException } from '@nestjs/common';
import { Allow, policies } from '../auth/policy.js';
import { DatabaseHealthRepository } from './database-health.repository.js';

@Controller()
@Allow(policies.public)
export class HealthController {
  constructor(private readonly database: DatabaseHealthRepository) {}

  @Get('healthz')
  healthz(): { status: string } {
    return { status: 'ok' };
  }

  @Get('readyz')
  @HttpCode(200)
  async readyz(): Promise<{ status: string }> {
    try {
      await this.database.ping();
      return { status: 'ready' };
    } catch {
      throw new ServiceUnavailableException('database unreachable');
    }
  }
}
