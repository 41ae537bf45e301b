// The tenants API's contract: request bodies and the tenant view (common/api-schema.ts says how they are used).
import { body, str, time, Type, type Static } from '../common/api-schema.js';

export const createTenantSchema = body({ name: Type.String({ maxLength: 63 }), description: Type.Optional(Type.String({ maxLength: 1000 })) });
export const updateTenantSchema = body({ description: Type.String({ maxLength: 1000 }) });

export const tenantView = Type.Object({ id: str, name: str, description: str, createdAt: time });
export type TenantView = Static<typeof tenantView>;
