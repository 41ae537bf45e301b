import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

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
}

export const LOCAL_DEV_ACTOR: Actor = { name: 'local-dev', kind: 'dev', grants: [{ role: 'admin', tenant: null }] };

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const req = ctx.switchToHttp().getRequest<{ actor?: Actor }>();
  if (!req.actor) throw new Error('no actor on the request: the auth guard did not run');
  return req.actor;
});
