// What the dispatcher publishes about an environment's agent and releases (`dispatcher_api.releases`,
// `dispatcher_api.agent_health`: read-only views of its read contract).
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { foreignRead } from '../common/foreign-read.js';

export interface ReportedRelease {
  name: string;
  chart_version: string;
  status: string;
  revision: number;
  last_deployed: Date | null;
}

@Injectable()
export class ReleaseReader {
  constructor(private readonly db: DataSource) {}

  /** The releases the environment's agent last reported, by name. */
  releases(environmentId: string): Promise<ReportedRelease[]> {
    return foreignRead<ReportedRelease>(
      this.db,
      `SELECT name, chart_version, status, revision, last_deployed FROM dispatcher_api.releases WHERE environment_id = $1 ORDER BY name`,
      [environmentId],
    );
  }

  /** The agent's last heartbeat, if it ever sent one. */
  async agentHealth(environmentId: string): Promise<{ reported_at: Date; agent_version: string | null } | undefined> {
    const [row] = await foreignRead<{ reported_at: Date; agent_version: string | null }>(
      this.db,
      `SELECT reported_at, agent_version FROM dispatcher_api.agent_health WHERE environment_id = $1`,
      [environmentId],
    );
    return row;
  }

  /** Every environment's last heartbeat. */
  allAgentHealth(): Promise<{ environment_id: string; reported_at: Date }[]> {
    return foreignRead<{ environment_id: string; reported_at: Date }>(this.db, `SELECT environment_id, reported_at FROM dispatcher_api.agent_health`);
  }
}
