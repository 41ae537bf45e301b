// The one guard of every HTTP route: reads the handler's declared policy (`@Allow`) and passes the request through
// the CallGate, the gate gRPC calls pass too (authentication, the request's text, the Authorizer). A handler without
// a policy is refused: authorization is never left to the handler's memory.
import { Injectable, createParamDecorator, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { DomainError } from '@fasit/domain';
import type { Actor } from '../common/actor.js';
import { AuthService } from './auth.service.js';
import { CallGate } from './call-gate.js';
import { Authorizer, type Access } from './authorizer.js';
import { POLICY, type Policy } from './policy.js';

type GuardedRequest = Request & { actor?: Actor; access?: Access };

@Injectable()
export class PolicyGuard implements CanActivate {
  private readonly gate: CallGate;

  constructor(
    auth: AuthService,
    authorizer: Authorizer,
    private readonly reflector: Reflector,
  ) {
    this.gate = new CallGate(auth, authorizer);
  }

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const policy = this.reflector.getAllAndOverride<Policy | undefined>(POLICY, [ctx.getHandler(), ctx.getClass()]);
    if (!policy) throw new DomainError('INTERNAL', `no authorization policy is declared for ${ctx.getClass().name}.${ctx.getHandler().name}`);
    const req = ctx.switchToHttp().getRequest<GuardedRequest>();
    const admitted = await this.gate.admit(policy, {
      authorization: req.headers.authorization,
      fields: req.params,
      path: req.params,
      query: req.query,
      body: req.body,
    });
    if (admitted.actor) req.actor = admitted.actor;
    req.access = admitted.access;
    return true;
  }
}

/** What authorization resolved for this request (the assignment, a GitHub caller's repository policy). */
export const CurrentAccess = createParamDecorator((_: unknown, ctx: ExecutionContext): Access => {
  const req = ctx.switchToHttp().getRequest<GuardedRequest>();
  if (!req.access) throw new Error('no access on the request: the policy guard did not run');
  return req.access;
});
