// Features disabled in an environment (`catalog.disabled_features`): with the reason and who. Writes take the
// transaction's manager.
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export interface DisabledFeature {
  reason: string;
  disabled_by: string;
  disabled_at: Date;
}

@Injectable()
export class DisabledFeatureRepository {
  constructor(private readonly ds: DataSource) {}

  async one(environmentId: string, feature: string): Promise<DisabledFeature | undefined> {
    return (
      await this.ds.query<DisabledFeature[]>(
        `SELECT reason, disabled_by, disabled_at FROM catalog.disabled_features WHERE environment_id = $1 AND feature = $2`,
        [environmentId, feature],
      )
    )[0];
  }

  /** feature → reason, in one environment. */
  async ofEnvironment(environmentId: string): Promise<Map<string, string>> {
    const rows = await this.ds.query<{ feature: string; reason: string }[]>(`SELECT feature, reason FROM catalog.disabled_features WHERE environment_id = $1`, [
      environmentId,
    ]);
    return new Map(rows.map((r) => [r.feature, r.reason]));
  }

  /** Every (environment, feature) disabled anywhere. */
  all(): Promise<{ environment_id: string; feature: string }[]> {
    return this.ds.query<{ environment_id: string; feature: string }[]>(`SELECT environment_id, feature FROM catalog.disabled_features`);
  }

  /** False when it was disabled already (nothing changes). */
  async insert(m: EntityManager, environmentId: string, feature: string, reason: string, by: string): Promise<boolean> {
    const inserted = await m.query<unknown[]>(
      `INSERT INTO catalog.disabled_features (environment_id, feature, reason, disabled_by) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING feature`,
      [environmentId, feature, reason, by],
    );
    return inserted.length > 0;
  }

  /** The reason it was disabled for, or undefined when it was not. */
  async delete(m: EntityManager, environmentId: string, feature: string): Promise<string | undefined> {
    const [rows] = await m.query<[{ reason: string }[], number]>(
      `DELETE FROM catalog.disabled_features WHERE environment_id = $1 AND feature = $2 RETURNING reason`,
      [environmentId, feature],
    );
    return rows[0]?.reason;
  }
}
