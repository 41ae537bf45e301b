// API tokens (`catalog.api_tokens`): only the SHA-256 of each token is stored, with its role, tenant, expiry and
// revocation. Writes take the transaction's manager.
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Role } from '../common/actor.js';

export interface ApiTokenRow {
  id: string;
  name: string;
  role: Role;
  tenant: string | null;
  created_by: string;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

const COLUMNS = `a.id, a.name, a.role, t.name AS tenant, a.created_by, a.created_at, a.expires_at, a.revoked_at, a.last_used_at`;

@Injectable()
export class ApiTokenRepository {
  constructor(private readonly ds: DataSource) {}

  /** `tenant` is the name of `tenantId`, echoed into the row. */
  async insert(
    m: EntityManager,
    t: { name: string; hash: string; role: Role; tenantId: string | null; tenant: string | null; by: string; days: number },
  ): Promise<ApiTokenRow> {
    const rows = await m.query<ApiTokenRow[]>(
      `INSERT INTO catalog.api_tokens (name, token_hash, role, tenant_id, created_by, expires_at)
       VALUES ($1, $2, $3, $4, $5, now() + make_interval(days => $6::int))
       RETURNING id, name, role, $7::text AS tenant, created_by, created_at, expires_at, revoked_at, last_used_at`,
      [t.name, t.hash, t.role, t.tenantId, t.by, t.days, t.tenant],
    );
    return rows[0]!;
  }

  /** Newest first. */
  all(): Promise<ApiTokenRow[]> {
    return this.ds.query<ApiTokenRow[]>(
      `SELECT ${COLUMNS} FROM catalog.api_tokens a LEFT JOIN catalog.tenants t ON t.id = a.tenant_id ORDER BY a.created_at DESC`,
    );
  }

  /** The token of this hash, revoked or expired or not. */
  async byHash(hash: string): Promise<ApiTokenRow | undefined> {
    return (
      await this.ds.query<ApiTokenRow[]>(
        `SELECT ${COLUMNS} FROM catalog.api_tokens a LEFT JOIN catalog.tenants t ON t.id = a.tenant_id WHERE a.token_hash = $1`,
        [hash],
      )
    )[0];
  }

  async touch(id: string): Promise<void> {
    await this.ds.query(`UPDATE catalog.api_tokens SET last_used_at = now() WHERE id = $1`, [id]);
  }

  /** When it was revoked (now, or earlier when it already was). */
  async revoke(m: EntityManager, id: string): Promise<Date> {
    const [rows] = await m.query<[{ revoked_at: Date }[], number]>(
      `UPDATE catalog.api_tokens SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING revoked_at`,
      [id],
    );
    return rows[0]!.revoked_at;
  }

  /** Revokes the live tokens of this name whose creator starts with `createdBy`; their ids. */
  async revokeNamed(m: EntityManager, name: string, createdByPrefix: string): Promise<string[]> {
    const [rows] = await m.query<[{ id: string }[], number]>(
      `UPDATE catalog.api_tokens SET revoked_at = now() WHERE name = $1 AND created_by LIKE $2 AND revoked_at IS NULL RETURNING id`,
      [name, `${createdByPrefix}%`],
    );
    return rows.map((r) => r.id);
  }

  /** The token's tenant (null: global), or undefined when there is no such token. */
  async tenantOf(id: string): Promise<{ tenant: string | null } | undefined> {
    return (
      await this.ds.query<{ tenant: string | null }[]>(
        `SELECT t.name AS tenant FROM catalog.api_tokens r LEFT JOIN catalog.tenants t ON t.id = r.tenant_id WHERE r.id = $1`,
        [id],
      )
    )[0];
  }
}
