// Agent reports: checked against the agent's identity (the report must be signed with the key of the
// environment it claims), then recorded: deploy statuses, logs, heartbeats, the release inventory, and the
// instructions an agent refused to run. The reports of one pull are written together, in one transaction
// (`PullBatcher`, `ReportRepository`; decision 0026), each still acked, redelivered or dead-lettered on its own.
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  activeTraceContext,
  enqueueEvents,
  firstDelivery,
  outboxEvent,
  OutboxRelay,
  type AgentReport,
  type AgentReportV1,
  type EventContext,
  type TraceContext,
} from '@fasit/bus';
import { JsonLogger, keyList } from '@fasit/config';
import { DomainError, deriveAgentKey, verifyReport } from '@fasit/domain';
import { ServiceMetrics } from '@fasit/metrics';
import { DISPATCHER_CONFIG, type DispatcherConfig } from '../config/dispatcher.config.js';
import { DeployService } from '../deploys/deploy.service.js';
import { CatalogReader } from './catalog.reader.js';
import { PullBatcher, type Settled } from '../batching/pull.batcher.js';
import { ReportRepository, type LogLineRow, type SentDeploy } from './report.repository.js';

/** A verified report waiting for its batch, with the trace its delivery runs in (its events continue it). */
interface Pending {
  e: AgentReportV1;
  ctx: EventContext;
  trace: TraceContext;
}

/** A report of the batch that may be written: its environment resolved (and for a status, its deploy). */
interface Ready extends Pending {
  index: number;
  environmentId: string;
  sent?: SentDeploy;
}

@Injectable()
export class ReportService {
  private readonly batcher = new PullBatcher<Pending, void>((items) => this.ingest(items));

  constructor(
    private readonly ds: DataSource,
    private readonly deploys: DeployService,
    private readonly catalog: CatalogReader,
    private readonly repository: ReportRepository,
    private readonly relay: OutboxRelay,
    private readonly logger: JsonLogger,
    @Inject(DISPATCHER_CONFIG) private readonly config: DispatcherConfig,
    private readonly metrics: ServiceMetrics,
  ) {
    metrics.collectGauge('fasit_agents', async (set) => {
      const row = await this.repository.agentHealth(this.config.healthWindowMs / 1000);
      set(row.healthy, { health: 'healthy' });
      set(row.silent, { health: 'silent' });
    });
  }

  /**
   * Checks the report's signature, then records it with the other reports of its pull (one transaction for the
   * batch, see `ingest`); a refusal is recorded on its own. Rejects with this report's own failure only.
   */
  async handle(e: AgentReportV1, ctx: EventContext): Promise<void> {
    const signature = ctx.attributes['signature'] ?? '';
    // Any of the configured secrets (two while they rotate) derives an agent key the report may be signed with.
    if (!keyList(this.config.agentKeySecret).some((secret) => verifyReport(deriveAgentKey(secret, e.tenant, e.environment), ctx.rawData, signature))) {
      throw new DomainError('FORBIDDEN', `report claiming ${e.tenant}/${e.environment} is not signed with that environment's agent key; refused`, {
        retryable: false,
      });
    }
    if (e.report.type === 'refused') {
      const [environmentId] = await this.environmentIds([e]);
      if (environmentId === undefined || environmentId instanceof DomainError) throw environmentId ?? new Error('no environment id');
      await this.refused(e, environmentId, e.report, ctx.eventId);
      return;
    }
    await this.batcher.submit({ e, ctx, trace: activeTraceContext() });
  }

  /**
   * Records a batch of verified reports with the outcome of handling them one by one: what a report may not record
   * (an unknown environment, a status of a deploy never received or sent elsewhere) fails that report alone, before
   * the batch is written; the rest are written in one transaction. When that transaction fails (a report PostgreSQL
   * refuses, a conflict with another writer), each report is written again in a transaction of its own, so one
   * report's fault fails that report only.
   */
  private async ingest(items: Pending[]): Promise<Settled<void>[]> {
    const outcomes: Settled<void>[] = items.map(() => ({ ok: true, value: undefined }));
    const environmentIds = await this.environmentIds(items.map((i) => i.e));
    const sent = await this.repository.sentDeploys(items.flatMap((i) => (i.e.report.type === 'helm' ? [i.e.report.diid] : [])));
    const ready: Ready[] = [];
    for (const [index, item] of items.entries()) {
      const environmentId = environmentIds[index];
      try {
        if (environmentId === undefined || environmentId instanceof DomainError) throw environmentId ?? new Error('no environment id');
        const r = item.e.report;
        if (r.type !== 'helm') {
          ready.push({ ...item, index, environmentId });
          continue;
        }
        // Verified above, so the diid is one this environment's agent was given: with no `sent` row, the request
        // received for it records one (its `sent` claim rolled back after the publish; decision 0023).
        const deploy = sent.get(r.diid) ?? (await this.deploys.recoverSent(r.diid, environmentId));
        if (!deploy) {
          // No deploy of this diid was ever received (or its request expired). Redelivered all the same, for a
          // dispatcher of an older version whose `sent` is still to commit (it keeps no received requests); a diid
          // that never turns up ends in the dead-letter topic after the last try.
          throw new DomainError('NOT_FOUND', `status ${r.status} for deploy ${r.diid}, of which no request was received and none recorded as sent`, {
            retryable: true,
          });
        }
        if (deploy.environmentId !== environmentId) {
          throw new DomainError(
            'FORBIDDEN',
            `${item.e.tenant}/${item.e.environment} reported on deploy ${r.diid}, which was sent to another environment; refused`,
            { retryable: false },
          );
        }
        ready.push({ ...item, index, environmentId, sent: deploy });
      } catch (error) {
        outcomes[index] = { ok: false, error };
      }
    }
    if (ready.length === 0) return outcomes;
    const batches = this.metrics.counter('fasit_dispatcher_report_batches_total');
    try {
      await this.write(ready);
      batches.inc({ outcome: 'written' });
      return outcomes;
    } catch (error) {
      if (ready.length === 1) {
        outcomes[ready[0]!.index] = { ok: false, error };
        return outcomes;
      }
      batches.inc({ outcome: 'split' });
      this.logger.entry('warn', 'a batch of reports failed; writing its reports one by one', { reports: ready.length, error: (error as Error).message });
    }
    for (const r of ready) {
      try {
        await this.write([r]);
      } catch (error) {
        outcomes[r.index] = { ok: false, error };
      }
    }
    return outcomes;
  }

  /** Writes verified, resolved reports in one transaction (see ReportRepository), announcing what changed. */
  private async write(ready: Ready[]): Promise<void> {
    const now = new Date();
    const announced = await this.ds.transaction(async (m) => {
      const statuses = await this.deploys.appendAll(
        m,
        ready.flatMap(({ e, sent, environmentId, trace }) =>
          e.report.type === 'helm' && sent
            ? [{ ...sent, environmentId, diid: e.report.diid, status: e.report.status, error: e.report.error, traceContext: trace }]
            : [],
        ),
      );
      await this.repository.recordHeartbeats(
        m,
        ready.flatMap(({ e, environmentId }) =>
          e.report.type === 'heartbeat'
            ? [{ environmentId, tenant: e.tenant, environment: e.environment, agentVersion: e.report.agentVersion, capabilities: e.report.capabilities ?? [] }]
            : [],
        ),
      );
      // When the agent took it (its clock, never later than ours; an older naisd says only when it sent it): an
      // inventory is compared with the deploys that settled before it, so one taken before a deploy but delivered
      // (or, with the deploy run between its list and its report, sent) after it must not pass for a newer one.
      // An agent that does not say whether it is real (older naisd) is not: nothing it lists or misses reads as drift.
      const inventories = ready.flatMap(({ e, environmentId, ctx, trace }) =>
        e.report.type === 'inventory'
          ? [
              {
                environmentId,
                real: e.report.real === true,
                takenAt: inventoryTime(e.report.takenAt ?? e.sentAt, now),
                releases: e.report.releases,
                ctx,
                trace,
              },
            ]
          : [],
      );
      const replaced = await this.repository.replaceInventories(m, inventories);
      // The reconciler compares a real inventory with what it deployed (drift), and forgets drift when an
      // environment's inventory stops being real; a dry-run agent's inventories concern nobody.
      const events = inventories.flatMap((inv, i) =>
        replaced[i]?.announced
          ? [
              outboxEvent(
                'dispatcher.inventory.reported.v1',
                { version: 'v1', environmentId: inv.environmentId, real: inv.real },
                inv.ctx.correlationId,
                inv.trace,
              ),
            ]
          : [],
      );
      await enqueueEvents(m, 'dispatcher', events);
      // A redelivered report adds nothing: each line is keyed by the report's event id and its position in it.
      await this.repository.insertLogLines(
        m,
        ready.flatMap(({ e, ctx }): LogLineRow[] => {
          const r = e.report;
          if (r.type === 'log') return r.lines.map((l, n) => ({ diid: r.diid, time: l.time, msg: l.msg, kind: l.kind, eventId: ctx.eventId, lineNo: n }));
          if (r.type === 'uninstall') {
            const msg = `uninstall ${r.release}: ${r.status}${r.error ? `: ${r.error}` : ''}`;
            return [{ diid: r.diid, time: null, msg, kind: 'helm', eventId: ctx.eventId, lineNo: 0 }];
          }
          return [];
        }),
      );
      return statuses.some(Boolean) || events.length > 0;
    });
    if (announced) this.relay.kick();
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
      // The deploy's own log tells of the refusal only where that deploy was sent: this environment.
      const deploy = sent?.environmentId === environmentId && r.diid !== null ? { diid: r.diid, ...sent } : undefined;
      const claim = r.verified ? 'this instruction' : 'an instruction claiming to be this one (its signature did not verify)';
      await this.repository.recordRefusal(
        m,
        { environmentId, diid: r.diid, reason: r.reason, verified: r.verified, error: r.error },
        deploy ? { diid: deploy.diid, msg: `naisd refused ${claim}: ${r.reason}: ${r.error}` } : undefined,
      );
      if (!deploy) return;
      if (r.verified && (r.reason === 'expired' || r.reason === 'not-yet-valid')) {
        const added = await this.deploys.append(m, {
          ...deploy,
          status: 'failed',
          error: `naisd refused the instruction (${r.reason}): ${r.error}`,
        });
        if (added) this.relay.kick();
      }
    });
  }

  /** Looked up for every report (one indexed query per batch): an environment deleted and created again under the
   * same name has a new id, and a cached one would send its agent's reports to the old environment. Per report: its
   * environment's id, or the error that refuses it. */
  private async environmentIds(reports: readonly AgentReportV1[]): Promise<(string | DomainError)[]> {
    const ids = await this.catalog.environmentIds(reports.map((e) => ({ tenant: e.tenant, environment: e.environment })));
    return reports.map((e, i) => ids[i] ?? new DomainError('NOT_FOUND', `report from unknown environment ${e.tenant}/${e.environment}`, { retryable: false }));
  }
}

/** When an agent took an inventory (its `takenAt`, or its report's `sentAt`), but never later than `now` (nor unreadable: then `now`). */
export function inventoryTime(at: string, now: Date): Date {
  const t = Date.parse(at);
  return Number.isNaN(t) || t > now.getTime() ? now : new Date(t);
}
