// The access API's contract: API tokens and role bindings (common/api-schema.ts).
import { body, enumOf, nstr, ntime, str, time, Type, type Static } from '../common/api-schema.js';

export const role = enumOf(['viewer', 'operator', 'admin'] as const);

export const issueTokenSchema = body({
  name: Type.String({ maxLength: 63 }),
  role,
  tenant: Type.Optional(Type.String({ maxLength: 63 })),
  expiresInDays: Type.Optional(Type.Integer({ minimum: 1 })),
});
export const bindSchema = body({ subject: Type.String({ minLength: 1, maxLength: 320 }), role, tenant: Type.Optional(Type.String({ maxLength: 63 })) });

export const apiTokenView = Type.Object({
  id: str,
  name: str,
  role,
  tenant: nstr,
  createdBy: str,
  createdAt: time,
  expiresAt: ntime,
  revokedAt: ntime,
  lastUsedAt: ntime,
});
export type ApiTokenView = Static<typeof apiTokenView>;

export const roleBindingView = Type.Object({ id: str, subject: str, role, tenant: nstr, createdBy: str, createdAt: time });
export type RoleBindingView = Static<typeof roleBindingView>;
