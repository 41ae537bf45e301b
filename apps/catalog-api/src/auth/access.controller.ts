import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { CurrentActor, type Actor } from '../common/actor.js';
import { validateInput } from '../common/validation.js';
import { Allow, policies } from './policy.js';
import { AccessService } from './access.service.js';
import { bindSchema, issueTokenSchema, type ApiTokenView, type RoleBindingView } from './access.schemas.js';

@Controller('api/v1')
export class AccessController {
  constructor(private readonly access: AccessService) {}

  /** The caller as the API sees it (name and roles). */
  @Get('whoami')
  @Allow(policies.self)
  whoami(@CurrentActor() actor: Actor): Actor {
    return actor;
  }

  @Post('tokens')
  @HttpCode(201)
  @Allow(policies.grantAdmin)
  issue(@CurrentActor() actor: Actor, @Body() body: unknown): Promise<ApiTokenView & { token: string }> {
    return this.access.issueToken(actor, validateInput(issueTokenSchema, body));
  }

  @Get('tokens')
  @Allow(policies.anyAdmin)
  tokens(@CurrentActor() actor: Actor): Promise<ApiTokenView[]> {
    return this.access.listTokens(actor);
  }

  @Delete('tokens/:id')
  @Allow(policies.tokenAdmin)
  revoke(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<ApiTokenView> {
    return this.access.revokeToken(actor, id);
  }

  @Post('role-bindings')
  @HttpCode(201)
  @Allow(policies.grantAdmin)
  bind(@CurrentActor() actor: Actor, @Body() body: unknown): Promise<RoleBindingView> {
    return this.access.bind(actor, validateInput(bindSchema, body));
  }

  @Get('role-bindings')
  @Allow(policies.anyAdmin)
  bindings(@CurrentActor() actor: Actor): Promise<RoleBindingView[]> {
    return this.access.listBindings(actor);
  }

  @Delete('role-bindings/:id')
  @HttpCode(204)
  @Allow(policies.bindingAdmin)
  unbind(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<void> {
    return this.access.unbind(actor, id);
  }
}
