// The first admin credential of a catalog (docs/decisions/0008-first-admin-credential.md): a global admin API token
// written straight into the catalog database by whoever holds its DATABASE_URL — the start command in oidc mode,
// or an operator's one-off job. The running service has no way to mint one without a caller who already is an
// admin: this needs the database credential, which owns every row anyway. The token is shown once; only its
// SHA-256 is stored, like every API token, with an audit entry. Issuing one revokes the earlier tokens of the same
// name that this path issued, so a restart does not pile up live admin tokens.
import { randomBytes } from 'node:crypto';
import { initializeAndMigrate } from '@fasit/db';
import type { Actor } from '../common/actor.js';
import { CatalogTx } from '../common/catalog-transaction.js';
import { catalogDataSource } from '../database/catalog-data-source.js';
import { ApiTokenRepository } from './api-token.repository.js';
import { API_TOKEN_PREFIX, hashToken } from './auth.service.js';

export interface BootstrapToken {
  id: string;
  name: string;
  token: string;
  expiresAt: string;
  /** How many earlier tokens of this name issued this way were revoked. */
  revoked: number;
}

export const BOOTSTRAP_ACTOR = 'bootstrap (database access)';

export async function issueBootstrapToken(databaseUrl: string, input: { name: string; expiresInDays: number; by: string }): Promise<BootstrapToken> {
  if (!/^[a-z0-9][a-z0-9._-]{0,62}$/.test(input.name)) throw new Error(`token name "${input.name}": 1-63 lowercase letters, digits, ".", "_" or "-"`);
  if (!Number.isInteger(input.expiresInDays) || input.expiresInDays < 1 || input.expiresInDays > 366) throw new Error('expiresInDays: 1 to 366');
  const actor: Actor = { name: `${BOOTSTRAP_ACTOR}: ${input.by}`, kind: 'user', grants: [] };
  const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const ds = catalogDataSource(databaseUrl, 2); // migrating holds one connection (the advisory lock) and runs on another
  try {
    await initializeAndMigrate(ds);
    return await ds.transaction(async (m) => {
      const tx = new CatalogTx(m, actor);
      const tokens = new ApiTokenRepository(ds);
      const revoked = await tokens.revokeNamed(m, input.name, `${BOOTSTRAP_ACTOR}:`);
      for (const id of revoked)
        tx.audit({
          action: 'deleted',
          objectType: 'api_token',
          objectId: id,
          description: `revoked API token ${input.name} (replaced by a new bootstrap token)`,
        });
      const row = await tokens.insert(m, {
        name: input.name,
        hash: hashToken(token),
        role: 'admin',
        tenantId: null,
        tenant: null,
        by: actor.name,
        days: input.expiresInDays,
      });
      const view = { id: row.id, name: input.name, role: 'admin', tenant: null, expiresAt: row.expires_at!.toISOString() };
      tx.audit({
        action: 'created',
        objectType: 'api_token',
        objectId: view.id,
        description: `issued API token ${input.name} (admin, global) with database access`,
        after: view,
      });
      await tx.flush();
      return { id: view.id, name: input.name, token, expiresAt: view.expiresAt, revoked: revoked.length };
    });
  } finally {
    await ds.destroy();
  }
}
