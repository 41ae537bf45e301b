// The one guard of every HTTP route: reads the handler's declared policy (`@Allow`), authenticates the caller,
// checks the request's text (path, query, body), and authorizes with the Authorizer. A handler without a policy
// is refused: authorization is never left to the handler's memory.
import { Injectable, createParamDecorator, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { DomainError } from '@fasit/domain';
import type { Actor } from '../common/actor.js';
import { checkDocument, checkParams } from '../common/text-input.js';
import { AuthService } from './auth.service.js';
import { Authorizer, type Access } from './authorizer.js';
import { POLICY, type Policy } from './policy.js';

type GuardedRequest = Request & { actor?: Actor; access?: Access };

@Injectable()
export class PolicyGuard implements CanActivate {
  constructor(
    private readonly auth: AuthService,
    private readonly authorizer: Authorizer,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const policy = this.reflector.getAllAndOverride<Policy | undefined>(POLICY, [ctx.getHandler(), ctx.getClass()]);
    if (!policy) throw new DomainError('INTERNAL', `no authorization policy is declared for ${ctx.getClass().name}.${ctx.getHandler().name}`);
    const req = ctx.switchToHttp().getRequest<GuardedRequest>();
    if (!policy.public) req.actor = await this.auth.authenticate(req.headers.authorization);
    checkParams(req.params, 'path');
    checkParams(req.query, 'query');
    checkDocument(req.body);
    req.access = req.actor ? await this.authorizer.authorize(req.actor, policy, { fields: req.params, body: req.body }) : {};
    return true;
  }
}

/** What authorization resolved for this request (the assignment, a GitHub caller's repository policy). */
export const CurrentAccess = createParamDecorator((_: unknown, ctx: ExecutionContext): Access => {
  const req = ctx.switchToHttp().getRequest<GuardedRequest>();
  if (!req.access) throw new Error('no access on the request: the policy guard did not run');
  return req.access;
});
