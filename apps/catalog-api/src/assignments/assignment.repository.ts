// The catalog's assignments (`catalog.assignments`). Read by nearly every capability, so CoreModule provides it
// to all. Writes take the transaction's manager (CatalogTx.manager).
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { EnvironmentKind } from '@fasit/bus';
import type { Labels } from '@fasit/domain';
import { Assignment } from './assignment.entity.js';

const UUID = /^[0-9a-f-]{36}$/i;

export interface AssignmentFilter {
  feature?: string;
  active?: boolean;
  /** Only assignments whose target these labels contain. */
  labels?: Labels;
  features?: string[];
  /** Only targets naming one of these tenants (null: every target). */
  tenants?: string[] | null;
}

@Injectable()
export class AssignmentRepository {
  constructor(private readonly ds: DataSource) {}

  /** null for an id that is not a UUID (never a database error). */
  async byId(id: string): Promise<Assignment | null> {
    return UUID.test(id) ? this.ds.getRepository(Assignment).findOne({ where: { id } }) : null;
  }

  /** The active assignments (of one feature, when named). */
  active(feature?: string): Promise<Assignment[]> {
    return this.ds.getRepository(Assignment).find({ where: { active: true, ...(feature !== undefined ? { feature } : {}) } });
  }

  countActive(feature: string): Promise<number> {
    return this.ds.getRepository(Assignment).count({ where: { feature, active: true } });
  }

  /** feature → how many active assignments it has. */
  async activeCounts(): Promise<Map<string, number>> {
    const rows = await this.ds.query<{ feature: string; n: number }[]>(
      `SELECT feature, count(*)::int AS n FROM catalog.assignments WHERE active GROUP BY feature`,
    );
    return new Map(rows.map((r) => [r.feature, r.n]));
  }

  /** Newest first; `before`: only those created before that assignment (keyset paging); `take` rows at most. */
  page(filter: AssignmentFilter, page: { take: number; before?: string }): Promise<Assignment[]> {
    const qb = this.ds.getRepository(Assignment).createQueryBuilder('a').orderBy('a.created_at', 'DESC').addOrderBy('a.id', 'DESC').take(page.take);
    // compared in the database: its timestamps have microseconds, a JavaScript Date only milliseconds
    if (page.before !== undefined)
      qb.andWhere('(a.created_at, a.id) < (SELECT b.created_at, b.id FROM catalog.assignments b WHERE b.id = :before)', { before: page.before });
    if (filter.feature) qb.andWhere('a.feature = :feature', { feature: filter.feature });
    if (filter.active !== undefined) qb.andWhere('a.active = :active', { active: filter.active });
    if (filter.labels) qb.andWhere(':labels::jsonb @> a.target', { labels: JSON.stringify(filter.labels) });
    if (filter.features) qb.andWhere('a.feature = ANY(:features::text[])', { features: filter.features });
    if (filter.tenants) qb.andWhere(`a.target->>'tenant' = ANY(:tenants::text[])`, { tenants: filter.tenants });
    return qb.getMany();
  }

  /** The kinds of the environments whose labels contain the target (none: it reaches nothing). */
  async targetKinds(m: EntityManager, target: Labels): Promise<EnvironmentKind[]> {
    const rows = await m.query<{ kind: EnvironmentKind }[]>(`SELECT DISTINCT kind FROM catalog.environments WHERE labels @> $1::jsonb`, [
      JSON.stringify(target),
    ]);
    return rows.map((r) => r.kind);
  }

  /** Deactivates the active assignment of (feature, target), if any: the one a new assignment replaces. */
  async deactivateActive(m: EntityManager, feature: string, target: Labels): Promise<{ id: string; version: string } | undefined> {
    const [rows] = await m.query<[{ id: string; version: string }[], number]>(
      `UPDATE catalog.assignments SET active = false, deactivated_at = now() WHERE feature = $1 AND target = $2::jsonb AND active RETURNING id, version`,
      [feature, JSON.stringify(target)],
    );
    return rows[0];
  }

  /** Inserts and reads back (with the database's creation time). */
  async insert(m: EntityManager, fields: Omit<Assignment, 'id' | 'createdAt'>): Promise<Assignment> {
    const repo = m.getRepository(Assignment);
    const created = await repo.save(repo.create(fields));
    return repo.findOneByOrFail({ id: created.id });
  }

  async setReplacedBy(m: EntityManager, replaced: string, by: string): Promise<void> {
    await m.query(`UPDATE catalog.assignments SET replaced_by = $1 WHERE id = $2`, [by, replaced]);
  }

  /** The assignment, locked until the transaction ends. */
  lock(m: EntityManager, id: string): Promise<Assignment | null> {
    return m.getRepository(Assignment).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  save(m: EntityManager, a: Assignment): Promise<Assignment> {
    return m.getRepository(Assignment).save(a);
  }
}
