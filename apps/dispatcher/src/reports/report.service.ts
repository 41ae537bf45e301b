// Agent reports: checked against the agent's identity (the report must be signed with the key of the
// environment it claims), then recorded: deploy statuses, logs, heartbeats and the release inventory.
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OutboxRelay, type AgentReportV1, type EventContext } from '@fasit/bus';
import { DomainError, deriveAgentKey, verifyReport } from '@fasit/domain';
import { DISPATCHER_CONFIG, type DispatcherConfig } from '../config/dispatcher.config.js';
import { DeployService } from '../deploys/deploy.service.js';
import { CatalogReader } from './catalog.reader.js';

@Injectable()
export class ReportService {
  constructor(
    private readonly ds: DataSource,
    private readonly deploys: DeployService,
    private readonly catalog: CatalogReader,
    private readonly relay: OutboxRelay,
    @Inject(DISPATCHER_CONFIG) private readonly config: DispatcherConfig,
  ) {}

  async handle(e: AgentReportV1, ctx: EventContext): Promise<void> {
    const signature = ctx.attributes['signature'] ?? '';
    if (!verifyReport(deriveAgentKey(this.config.agentKeySecret, e.tenant, e.environment), ctx.rawData, signature)) {
      throw new DomainError('FORBIDDEN', `report claiming ${e.tenant}/${e.environment} is not signed with that environment's agent key; refused`, { retryable: false });
    }
    const environmentId = await this.environmentId(e.tenant, e.environment);
    const r = e.report;
    switch (r.type) {
      case 'helm': {
        const [sent] = await this.ds.query<{ environmentId: string; feature: string; assignmentId: string; featureVersion: string; hash: string }[]>(
          `SELECT environment_id AS "environmentId", feature, assignment_id AS "assignmentId", feature_version AS "featureVersion", hash FROM dispatcher.deploy_log WHERE diid = $1 AND status = 'sent'`,
          [r.diid],
        );
        if (!sent) {
          // `sent` commits just after the instruction is published, so a fast agent can answer first: let the bus
          // redeliver the status (a diid that never turns up ends in the dead-letter topic after the last try).
          throw new DomainError('NOT_FOUND', `status ${r.status} for deploy ${r.diid}, which has not been recorded as sent (yet)`, { retryable: true });
        }
        if (sent.environmentId !== environmentId) {
          throw new DomainError('FORBIDDEN', `${e.tenant}/${e.environment} reported on deploy ${r.diid}, which was sent to another environment; refused`, { retryable: false });
        }
        const added = await this.ds.transaction((m) => this.deploys.append(m, { ...sent, diid: r.diid, status: r.status, error: r.error }));
        if (added) this.relay.kick();
        return;
      }
      case 'heartbeat':
        await this.ds.query(
          `INSERT INTO dispatcher.agent_health (environment_id, tenant, environment, agent_version, reported_at) VALUES ($1, $2, $3, $4, now())
           ON CONFLICT (environment_id) DO UPDATE SET agent_version = EXCLUDED.agent_version, reported_at = EXCLUDED.reported_at`,
          [environmentId, e.tenant, e.environment, r.agentVersion],
        );
        return;
      case 'inventory':
        await this.ds.transaction(async (m) => {
          // One inventory of an environment at a time: two replicas handling two deliveries of it at once would
          // otherwise both delete, then collide on insert.
          await m.query(`SELECT pg_advisory_xact_lock(hashtext('fasit-inventory:' || $1))`, [environmentId]);
          await m.query(`DELETE FROM dispatcher.releases WHERE environment_id = $1`, [environmentId]);
          for (const rel of r.releases) {
            await m.query(
              `INSERT INTO dispatcher.releases (environment_id, name, chart_version, status, revision, last_deployed, reported_at) VALUES ($1, $2, $3, $4, $5, $6, now())`,
              [environmentId, rel.name, rel.chartVersion, rel.status, rel.revision, rel.lastDeployed],
            );
          }
        });
        return;
      case 'log':
        if (r.lines.length === 0) return;
        // A redelivered report adds nothing: each line is keyed by the report's event id and its position in it.
        await this.ds.query(
          `INSERT INTO dispatcher.deploy_logs (diid, time, msg, kind, event_id, line_no)
           SELECT $1, t, m, k, $5, n - 1 FROM unnest($2::timestamptz[], $3::text[], $4::text[]) WITH ORDINALITY AS l(t, m, k, n)
           ON CONFLICT (event_id, line_no) WHERE event_id IS NOT NULL DO NOTHING`,
          [r.diid, r.lines.map((l) => l.time), r.lines.map((l) => l.msg), r.lines.map((l) => l.kind), ctx.eventId],
        );
        return;
      case 'uninstall':
        await this.ds.query(
          `INSERT INTO dispatcher.deploy_logs (diid, time, msg, kind, event_id, line_no) VALUES ($1, now(), $2, 'helm', $3, 0)
           ON CONFLICT (event_id, line_no) WHERE event_id IS NOT NULL DO NOTHING`,
          [r.diid, `uninstall ${r.release}: ${r.status}${r.error ? `: ${r.error}` : ''}`, ctx.eventId],
        );
        return;
    }
  }

  /** Looked up for every report (one indexed query): an environment deleted and created again under the same name
   * has a new id, and a cached one would send its agent's reports to the old environment. */
  private async environmentId(tenant: string, environment: string): Promise<string> {
    const id = await this.catalog.environmentId(tenant, environment);
    if (!id) throw new DomainError('NOT_FOUND', `report from unknown environment ${tenant}/${environment}`, { retryable: false });
    return id;
  }
}
