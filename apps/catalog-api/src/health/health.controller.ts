import { Controller, Get, HttpCode, ServiceUnavailableException } from '@nestjs/common';
import { Allow, policies } from '../auth/policy.js';
import { DataSource } from 'typeorm';

@Controller()
@Allow(policies.public)
export class HealthController {
  constructor(private readonly ds: DataSource) {}

  @Get('healthz')
  healthz(): { status: string } {
    return { status: 'ok' };
  }

  @Get('readyz')
  @HttpCode(200)
  async readyz(): Promise<{ status: string }> {
    try {
      await this.ds.query('SELECT 1');
      return { status: 'ready' };
    } catch {
      throw new ServiceUnavailableException('database unreachable');
    }
  }
}
