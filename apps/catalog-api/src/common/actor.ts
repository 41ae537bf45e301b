import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { SourceRef } from '../assignments/assignment.entity.js';

export type Role = 'viewer' | 'operator' | 'admin';
export const ROLES: readonly Role[] = ['viewer', 'operator', 'admin'];

/** A role, globally (tenant null) or for one tenant (by name). */
export interface Grant {
  role: Role;
  tenant: string | null;
}

/** Who is calling: recorded in audit entries, and what they may do. */
export interface Actor {
  /** e-mail, `<gh actor>@<repo>/<run id>`, `token:<name>`, or `local-dev`. */
  name: string;
  kind: 'dev' | 'user' | 'token' | 'github';
  grants: Grant[];
  /** For GitHub Actions callers: the repository (`owner/name`) the workflow runs in. */
  repository?: string;
  /** For GitHub Actions callers: where the workflow runs, from the verified token (the source of what it assigns). */
  source?: SourceRef;
}

export const LOCAL_DEV_ACTOR: Actor = { name: 'local-dev', kind: 'dev', grants: [{ role: 'admin', tenant: null }] };

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const req = ctx.switchToHttp().getRequest<{ actor?: Actor }>();
  if (!req.actor) throw new Error('no actor on the request: the policy guard did not run (or the route is public)');
  return req.actor;
});
