// A compile-time fixture, checked by `pnpm typecheck` (nothing here runs): the types of the REST API's requests and
// views are derived from their schemas, so what a handler receives and what a service answers follow the schema as it
// is today. Each `@ts-expect-error` below must meet a compile error, or the typecheck fails.
import { createTenantSchema, type TenantView } from '../tenants/tenant.schemas.js';
import { createEnvironmentSchema, type EnvironmentView } from '../environments/environment.schemas.js';
import { validateInput } from './validation.js';

/** A view the schema describes compiles. */
export const tenant: TenantView = { id: '1', name: 'acme', description: '', createdAt: '2026-12-07T00:00:00Z' };

// @ts-expect-error the schema of a tenant requires `createdAt`: a service that leaves it out does not compile
export const withoutCreatedAt: TenantView = { id: '1', name: 'acme', description: '' };

export const withUnknownKind: Pick<EnvironmentView, 'kind'> = {
  // @ts-expect-error `kind` is one of the schema's values
  kind: 'staging',
};

/** A validated body has the schema's fields, and only those. */
export function readBody(body: unknown): string {
  const input = validateInput(createTenantSchema, body);
  // @ts-expect-error `description` is optional in the schema: it may be undefined
  const description: string = input.description;
  // @ts-expect-error the schema has no `owner`
  return `${input.name}${description}${input.owner}`;
}

/** The environment kinds a request may create: the schema's enum, not a string. */
export function kindOf(body: unknown): 'management' | 'tenant' | 'onprem' {
  return validateInput(createEnvironmentSchema, body).kind;
}
