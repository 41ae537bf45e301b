import { Controller, Get, Query } from '@nestjs/common';
import { invalid } from '@fasit/domain';
import { authorizeAny, visibleTenants } from '../auth/access.js';
import { CurrentActor, type Actor } from '../common/actor.js';
import { AuditService, type AuditView } from './audit.service.js';

@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  query(
    @CurrentActor() actor: Actor,
    @Query('actor') who?: string,
    @Query('object') object?: string,
    @Query('environment') environment?: string,
    @Query('feature') feature?: string,
    @Query('q') q?: string,
    @Query('limit') limit?: string,
    @Query('before') before?: string,
  ): Promise<AuditView[]> {
    authorizeAny(actor);
    const n = limit === undefined ? 100 : Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > 1000) throw invalid('limit: an integer from 1 to 1000', 'limit');
    return this.audit.query(
      { ...(who ? { actor: who } : {}), ...(object ? { object } : {}), ...(environment ? { environment } : {}), ...(feature ? { feature } : {}), ...(q ? { q } : {}), ...(before ? { before } : {}), limit: n },
      visibleTenants(actor),
    );
  }
}
