import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { visibleTenants } from '../auth/access.js';
import { Allow, policies } from '../auth/policy.js';
import { CurrentActor, type Actor } from '../common/actor.js';
import { page, pageLimit } from '../common/paging.js';
import { AuditService } from './audit.service.js';
import type { AuditView } from './audit.schemas.js';

@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Allow(policies.anyViewer)
  async query(
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Query('actor') who?: string,
    @Query('object') object?: string,
    @Query('environment') environment?: string,
    @Query('feature') feature?: string,
    @Query('q') q?: string,
    @Query('limit') limit?: string,
    @Query('before') before?: string,
  ): Promise<AuditView[]> {
    const n = pageLimit(limit, 100);
    const rows = await this.audit.search(
      {
        ...(who ? { actor: who } : {}),
        ...(object ? { object } : {}),
        ...(environment ? { environment } : {}),
        ...(feature ? { feature } : {}),
        ...(q ? { q } : {}),
        ...(before ? { before } : {}),
        limit: n + 1,
      },
      visibleTenants(actor),
    );
    return page(rows, n, (a) => a.id, req, res);
  }
}
