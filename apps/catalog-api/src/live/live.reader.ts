// Reads for the live streams: a deploy's status and its log lines after a given one, from the dispatcher's
// published views (`dispatcher_api.deploy_statuses`, `dispatcher_api.deploy_log_lines`).
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DeployStatus } from '@fasit/domain';
import { foreignRead } from '../common/foreign-read.js';

export interface LogLine {
  id: string;
  time: string;
  msg: string;
  kind: string;
}

@Injectable()
export class LiveReader {
  constructor(private readonly ds: DataSource) {}

  /** The deploy's latest status, if it is a deploy of this feature in this environment. */
  async deployStatus(environmentId: string, feature: string, diid: string): Promise<{ status: DeployStatus; error: string | null } | null> {
    const rows = await foreignRead<{ status: DeployStatus; error: string | null }>(
      this.ds,
      `SELECT status, error FROM dispatcher_api.deploy_statuses WHERE environment_id = $1 AND feature = $2 AND diid::text = $3 ORDER BY id DESC LIMIT 1`,
      [environmentId, feature, diid],
    );
    return rows[0] ?? null;
  }

  /** Log lines of the deploy after line `afterId` (0: from the start), oldest first, at most `limit`. */
  async linesAfter(diid: string, afterId: string, limit: number): Promise<LogLine[]> {
    const rows = await foreignRead<{ id: string; time: Date; msg: string; kind: string }>(
      this.ds,
      `SELECT id::text AS id, time, msg, kind FROM dispatcher_api.deploy_log_lines WHERE diid::text = $1 AND id > $2::bigint ORDER BY id LIMIT $3`,
      [diid, afterId, limit],
    );
    return rows.map((r) => ({ id: r.id, time: new Date(r.time).toISOString(), msg: r.msg, kind: r.kind }));
  }
}
