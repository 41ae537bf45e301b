import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

/** Who is calling: recorded in audit entries. */
export interface Actor {
  /** e-mail, `<gh actor>@<repo>/<run id>`, `token:<name>`, or `local-dev`. */
  name: string;
}

export const LOCAL_DEV_ACTOR: Actor = { name: 'local-dev' };

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const req = ctx.switchToHttp().getRequest<{ actor?: Actor }>();
  return req.actor ?? LOCAL_DEV_ACTOR;
});
