import { Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Actor } from '../common/actor.js';
import { AuthService } from './auth.service.js';

const PUBLIC = 'fasit:public';
/** Routes anyone may call (health, the OpenAPI document, the Feature.yaml schema). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC, true);

/** Authenticates every request (except public routes) and puts the Actor on it; authorization is per handler. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly auth: AuthService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, [ctx.getHandler(), ctx.getClass()])) return true;
    const req = ctx.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; actor?: Actor }>();
    req.actor = await this.auth.authenticate(req.headers['authorization']);
    return true;
  }
}
