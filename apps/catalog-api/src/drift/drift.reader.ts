// What the reconciler last saw of drift (a release that differs from what Fasit deployed), read from its published
// view `reconciler_api.drift` (read-only; empty until the reconciler has published it).
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DriftKind, DriftPolicy } from '@fasit/domain';
import { foreignRead } from '../common/foreign-read.js';
import type { DriftView } from './drift.schemas.js';

/** Drift of one pair as explain and the environment's feature view show it. */
interface DriftRow {
  kind: DriftKind;
  message: string;
  policy: DriftPolicy;
  since: Date;
  checkedAt: Date;
  corrections: number;
  lastCorrectionAt: Date | null;
}

@Injectable()
export class DriftReader {
  constructor(private readonly ds: DataSource) {}

  async pair(environmentId: string, feature: string): Promise<DriftView | null> {
    const [row] = await foreignRead<DriftRow>(
      this.ds,
      `SELECT kind, message, policy, since, checked_at AS "checkedAt", corrections, last_correction_at AS "lastCorrectionAt"
       FROM reconciler_api.drift WHERE environment_id = $1 AND feature = $2`,
      [environmentId, feature],
    );
    return row
      ? {
          kind: row.kind,
          message: row.message,
          policy: row.policy,
          since: row.since.toISOString(),
          checkedAt: row.checkedAt.toISOString(),
          corrections: row.corrections,
          lastCorrectionAt: row.lastCorrectionAt?.toISOString() ?? null,
        }
      : null;
  }
}
