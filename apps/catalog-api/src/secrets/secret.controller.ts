import { Controller, HttpCode, Post } from '@nestjs/common';
import { Allow, policies } from '../auth/policy.js';
import { CurrentActor, type Actor } from '../common/actor.js';
import { SecretRotationService } from './secret-rotation.service.js';

@Controller('api/v1/admin/secrets')
export class SecretController {
  constructor(private readonly rotation: SecretRotationService) {}

  /** Re-seals every secret with the first key of FASIT_SECRET_KEYS. */
  @Post('rotate')
  @HttpCode(200)
  @Allow(policies.globalAdmin)
  rotate(@CurrentActor() actor: Actor): Promise<{ activeKey: string; environmentValues: number; configs: number }> {
    return this.rotation.rotate(actor);
  }
}
