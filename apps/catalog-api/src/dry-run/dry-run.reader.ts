// What the dry run compares its decisions with, from the other services' published views: each pair's latest deploy
// status (`dispatcher_api.deploy_statuses`) and latest deploy request (`reconciler_api.decisions`).
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DeployStatus } from '@fasit/domain';
import { foreignRead } from '../common/foreign-read.js';

@Injectable()
export class DryRunReader {
  constructor(private readonly db: DataSource) {}

  /** Every pair's latest deploy status. */
  latestDeploys(): Promise<{ environment_id: string; feature: string; diid: string; status: DeployStatus; hash: string; created_at: Date }[]> {
    return foreignRead(
      this.db,
      `SELECT DISTINCT ON (environment_id, feature) environment_id, feature, diid::text AS diid, status, hash, created_at FROM dispatcher_api.deploy_statuses ORDER BY environment_id, feature, id DESC`,
    );
  }

  /** Every pair's latest decision to deploy. */
  latestDeployRequests(): Promise<{ environment_id: string; feature: string; diid: string; hash: string; created_at: Date }[]> {
    return foreignRead(
      this.db,
      `SELECT DISTINCT ON (environment_id, feature) environment_id, feature, diid::text AS diid, hash, created_at FROM reconciler_api.decisions WHERE action = 'deploy' ORDER BY environment_id, feature, id DESC`,
    );
  }
}
