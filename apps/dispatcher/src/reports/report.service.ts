// Agent reports: checked against the agent's identity (the report must be signed with the key of the
// environment it claims), then recorded: deploy statuses, logs, heartbeats, the release inventory, and the
// instructions an agent refused to run.
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { enqueueEvents, firstDelivery, outboxEvent, OutboxRelay, type AgentReport, type AgentReportV1, type EventContext } from '@fasit/bus';
import { JsonLogger, keyList } from '@fasit/config';
import { DomainError, deriveAgentKey, verifyReport } from '@fasit/domain';
import { ServiceMetrics } from '@fasit/metrics';
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
    private readonly logger: JsonLogger,
    @Inject(DISPATCHER_CONFIG) private readonly config: DispatcherConfig,
    metrics: ServiceMetrics,
  ) {
    metrics.collectGauge('fasit_agents', async (set) => {
      const [row] = await this.ds.query<{ healthy: number; silent: number }[]>(
        `SELECT count(*) FILTER (WHERE reported_at > now() - make_interval(secs => $1))::int AS healthy,
                count(*) FILTER (WHERE reported_at <= now() - make_interval(secs => $1))::int AS silent
         FROM dispatcher.agent_health`,
        [this.config.healthWindowMs / 1000],
      );
      set(row?.healthy ?? 0, { health: 'healthy' });
      set(row?.silent ?? 0, { health: 'silent' });
    });
  }

  async handle(e: AgentReportV1, ctx: EventContext): Promise<void> {
    const signature = ctx.attributes['signature'] ?? '';
    // Any of the configured secrets (two while they rotate) derives an agent key the report may be signed with.
    if (!keyList(this.config.agentKeySecret).some((secret) => verifyReport(deriveAgentKey(secret, e.tenant, e.environment), ctx.rawData, signature))) {
      throw new DomainError('FORBIDDEN', `report claiming ${e.tenant}/${e.environment} is not signed with that environment's agent key; refused`, {
        retryable: false,
      });
    }
    const environmentId = await this.environmentId(e.tenant, e.environment);
    const r = e.report;
    switch (r.type) {
      case 'helm': {
        // Verified above, so the diid is one this environment's agent was given: with no `sent` row, the request
        // received for it records one (its `sent` claim rolled back after the publish; decision 0023).
        const sent = (await this.deploys.sentDeploy(r.diid)) ?? (await this.deploys.recoverSent(r.diid, environmentId));
        if (!sent) {
          // No deploy of this diid was ever received (or its request expired). Redelivered all the same, for a
          // dispatcher of an older version whose `sent` is still to commit (it keeps no received requests); a diid
          // that never turns up ends in the dead-letter topic after the last try.
          throw new DomainError('NOT_FOUND', `status ${r.status} for deploy ${r.diid}, of which no request was received and none recorded as sent`, {
            retryable: true,
          });
        }
        if (sent.environmentId !== environmentId) {
          throw new DomainError('FORBIDDEN', `${e.tenant}/${e.environment} reported on deploy ${r.diid}, which was sent to another environment; refused`, {
            retryable: false,
          });
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
      case 'inventory': {
        // When the agent took it (its clock, never later than ours; an older naisd says only when it sent it): an
        // inventory is compared with the deploys that settled before it, so one taken before a deploy but delivered
        // (or, with the deploy run between its list and its report, sent) after it must not pass for a newer one.
        const takenAt = inventoryTime(r.takenAt ?? e.sentAt, new Date());
        const announced = await this.ds.transaction(async (m) => {
          // One inventory of an environment at a time: two replicas handling two deliveries of it at once would
          // otherwise both delete, then collide on insert.
          await m.query(`SELECT pg_advisory_xact_lock(hashtext('fasit-inventory:' || $1))`, [environmentId]);
          const [before] = await m.query<{ real: boolean; reportedAt: Date }[]>(
            `SELECT real, reported_at AS "reportedAt" FROM dispatcher.inventories WHERE environment_id = $1`,
            [environmentId],
          );
          // An older inventory delivered late (or again) says nothing current: the newer one stays.
          if (before && before.reportedAt.getTime() > takenAt.getTime()) return false;
          await m.query(`DELETE FROM dispatcher.releases WHERE environment_id = $1`, [environmentId]);
          for (const rel of r.releases) {
            await m.query(
              `INSERT INTO dispatcher.releases (environment_id, name, chart_version, status, revision, last_deployed, values_hash, reported_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
              [environmentId, rel.name, rel.chartVersion, rel.status, rel.revision, rel.lastDeployed, rel.valuesHash ?? null, takenAt],
            );
          }
          // An agent that does not say (older naisd) is not real: nothing it lists or misses reads as drift.
          const real = r.real === true;
          await m.query(
            `INSERT INTO dispatcher.inventories (environment_id, real, reported_at) VALUES ($1, $2, $3)
             ON CONFLICT (environment_id) DO UPDATE SET real = EXCLUDED.real, reported_at = EXCLUDED.reported_at`,
            [environmentId, real, takenAt],
          );
          // The reconciler compares a real inventory with what it deployed (drift), and forgets drift when an
          // environment's inventory stops being real; a dry-run agent's inventories concern nobody.
          if (!real && before?.real !== true) return false;
          await enqueueEvents(m, 'dispatcher', [outboxEvent('dispatcher.inventory.reported.v1', { version: 'v1', environmentId, real }, ctx.correlationId)]);
          return true;
        });
        if (announced) this.relay.kick();
        return;
      }
      case 'log':
        if (r.lines.length === 0) return;
        // A redelivered report adds nothing: each line is keyed by the report's event id and its position in it.
        await this.ds.query(
          `INSERT INTO dispatcher.deploy_log_lines (diid, time, msg, kind, event_id, line_no)
           SELECT $1, t, m, k, $5, n - 1 FROM unnest($2::timestamptz[], $3::text[], $4::text[]) WITH ORDINALITY AS l(t, m, k, n)
           ON CONFLICT (event_id, line_no) WHERE event_id IS NOT NULL DO NOTHING`,
          [r.diid, r.lines.map((l) => l.time), r.lines.map((l) => l.msg), r.lines.map((l) => l.kind), ctx.eventId],
        );
        return;
      case 'uninstall':
        await this.ds.query(
          `INSERT INTO dispatcher.deploy_log_lines (diid, time, msg, kind, event_id, line_no) VALUES ($1, now(), $2, 'helm', $3, 0)
           ON CONFLICT (event_id, line_no) WHERE event_id IS NOT NULL DO NOTHING`,
          [r.diid, `uninstall ${r.release}: ${r.status}${r.error ? `: ${r.error}` : ''}`, ctx.eventId],
        );
        return;
      case 'refused':
        await this.refused(e, environmentId, r, ctx.eventId);
        return;
    }
  }

  /**
   * An instruction the agent did not run. Always recorded; shown in the deploy's log when it claims a deploy sent to
   * this environment; and that deploy fails when the control plane's own instruction came too late or too early
   * (expired, not yet valid: it will never run). A refusal of a forged or tampered copy changes no status: the
   * real instruction may still arrive. Recorded once per report: its event id is recorded with the refusal.
   */
  private async refused(e: AgentReportV1, environmentId: string, r: Extract<AgentReport, { type: 'refused' }>, eventId: string): Promise<void> {
    this.logger.entry('warn', 'an agent refused an instruction', {
      environment: `${e.tenant}/${e.environment}`,
      diid: r.diid,
      reason: r.reason,
      verified: r.verified,
      error: r.error,
    });
    const sent = r.diid === null ? undefined : await this.deploys.sentDeploy(r.diid);
    await this.ds.transaction(async (m) => {
      if (!(await firstDelivery(m, 'dispatcher', 'dispatcher', eventId))) return;
      await m.query(`INSERT INTO dispatcher.refused_instructions (environment_id, diid, reason, verified, error) VALUES ($1, $2, $3, $4, $5)`, [
        environmentId,
        r.diid,
        r.reason,
        r.verified,
        r.error,
      ]);
      if (!sent || sent.environmentId !== environmentId || r.diid === null) return;
      const claim = r.verified ? 'this instruction' : 'an instruction claiming to be this one (its signature did not verify)';
      await m.query(`INSERT INTO dispatcher.deploy_log_lines (diid, time, msg, kind) VALUES ($1, now(), $2, 'refusal')`, [
        r.diid,
        `naisd refused ${claim}: ${r.reason}: ${r.error}`,
      ]);
      if (r.verified && (r.reason === 'expired' || r.reason === 'not-yet-valid')) {
        const added = await this.deploys.append(m, {
          ...sent,
          diid: r.diid,
          status: 'failed',
          error: `naisd refused the instruction (${r.reason}): ${r.error}`,
        });
        if (added) this.relay.kick();
      }
    });
  }

  /** Looked up for every report (one indexed query): an environment deleted and created again under the same name
   * has a new id, and a cached one would send its agent's reports to the old environment. */
  private async environmentId(tenant: string, environment: string): Promise<string> {
    const id = await this.catalog.environmentId(tenant, environment);
    if (!id) throw new DomainError('NOT_FOUND', `report from unknown environment ${tenant}/${environment}`, { retryable: false });
    return id;
  }
}

/** When an agent took an inventory (its `takenAt`, or its report's `sentAt`), but never later than `now` (nor unreadable: then `now`). */
export function inventoryTime(at: string, now: Date): Date {
  const t = Date.parse(at);
  return Number.isNaN(t) || t > now.getTime() ? now : new Date(t);
}
