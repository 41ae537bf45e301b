// Sends deploy instructions to each environment's agent, signed (the agent runs nothing else), and keeps the
// append-only deploy log. `sent` is claimed and the signed instruction published in one transaction (the claim
// commits only after the publish succeeded): of two replicas handling the same request at once, the second waits on
// the first's claim and then finds it, so one instruction goes out. A crash between the publish and the commit sends
// the same diid again on redelivery, which the agent recognises. A request not newer than the last one sent for its
// (environment, feature) is dropped: an older desired state never follows a newer one to the agent.
// When the redelivery never comes (a database restart rolled the `sent` row back after the publish, and the request
// was lost with the broker's state), the request kept in `received_requests` (committed before the send) lets the
// agent's verified report record the `sent` row, so its outcome is not lost (decision 0023).
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  activeTraceContext,
  claimEventVersions,
  EventBus,
  InstructionSigner,
  OutboxRelay,
  claimEventVersion,
  enqueueEvents,
  INSTRUCTIONS_V3_CAPABILITY,
  instructionAttributes,
  instructionShardTopic,
  instructionTopic,
  outboxEvent,
  type DeployRequestedV1,
  type Freshness,
  type PublishOptions,
  type SignedInstructionV2,
  type TraceContext,
  type UninstallRequestedV1,
} from '@fasit/bus';
import { JsonLogger } from '@fasit/config';
import { ServiceMetrics } from '@fasit/metrics';
import { DISPATCHER_CONFIG, type DispatcherConfig } from '../config/dispatcher.config.js';
import { ReportRepository, type SentDeploy, type StatusRow } from '../reports/report.repository.js';
import { PullBatcher, type Settled } from '../batching/pull.batcher.js';
import { DeployRepository } from './deploy.repository.js';

const PROTECTED_RELEASES = new Set(['naisd', 'fasitd', '']);

export const INSTRUCTION_SIGNER = Symbol('INSTRUCTION_SIGNER');

/** What became of a deploy request: its instruction `sent`, or dropped as sent before or older than one sent. */
export type SendOutcome = 'sent' | Exclude<Freshness, 'new'>;

/** A deploy request waiting for its pull's batch, with the trace its delivery runs in (its publish continues it). */
interface PendingSend {
  e: DeployRequestedV1;
  correlationId: string;
  trace: TraceContext;
}

/** The deploy log's `sent` row of a request. */
const sentRow = (e: DeployRequestedV1): StatusRow => ({
  diid: e.diid,
  environmentId: e.environmentId,
  feature: e.feature,
  assignmentId: e.assignmentId,
  featureVersion: e.featureVersion,
  status: 'sent',
  hash: e.hash,
  error: null,
});

/** A call's outcome as a value. */
async function settle<R>(f: () => Promise<R>): Promise<Settled<R>> {
  try {
    return { ok: true, value: await f() };
  } catch (error) {
    return { ok: false, error };
  }
}

@Injectable()
export class DeployService {
  private readonly batcher = new PullBatcher<PendingSend, SendOutcome>((items) => this.sendBatch(items));

  constructor(
    private readonly ds: DataSource,
    private readonly bus: EventBus,
    private readonly relay: OutboxRelay,
    private readonly logger: JsonLogger,
    @Inject(DISPATCHER_CONFIG) private readonly config: DispatcherConfig,
    private readonly metrics: ServiceMetrics,
    @Inject(INSTRUCTION_SIGNER) private readonly signer: InstructionSigner,
    private readonly reports: ReportRepository,
    private readonly requests: DeployRepository,
  ) {}

  /**
   * Claims the request's version of its (environment, feature) and the deploy log's `sent` row of its diid, then
   * publishes: `duplicate` (sent before) or `stale` (a newer request of the pair was sent) sends nothing. The
   * requests of one pull are sent together (`sendBatch`); the outcome is this request's own.
   */
  async send(e: DeployRequestedV1, correlationId: string): Promise<SendOutcome> {
    return this.batcher.submit({ e, correlationId, trace: activeTraceContext() });
  }

  /**
   * Sends the requests of one pull in one transaction: received in one statement, their versions and `sent` rows
   * claimed in one statement each, every instruction published before the commit (decision 0029). Each request gets
   * the outcome it would have had alone. When the transaction fails (the broker refused a publish, PostgreSQL a
   * row), each request is sent again in a transaction of its own, so one request's fault fails that request only;
   * an instruction published by the failed attempt goes out again with the same diid, which the agent recognises.
   */
  private async sendBatch(items: PendingSend[]): Promise<Settled<SendOutcome>[]> {
    if (items.length === 1) return [await settle(() => this.sendOne(items[0]!))];
    const batches = this.metrics.counter('fasit_dispatcher_deploy_batches_total');
    try {
      await this.requests.receive(items.map((i) => i.e));
      const outcomes = await this.ds.transaction(async (m) => {
        const freshness = await claimEventVersions(
          m,
          'dispatcher',
          'dispatcher',
          'reconciler.deploy.requested.v1',
          items.map((i) => i.e),
        );
        const fresh = items.filter((_, i) => freshness[i] === 'new');
        const claimed = await this.appendAll(
          m,
          fresh.map((i) => sentRow(i.e)),
        );
        const toSend = fresh.filter((_, i) => claimed[i]);
        await this.requests.forgetReceived(
          m,
          toSend.map((i) => i.e.diid),
        );
        await this.publishDeploys(m, toSend);
        const sent = new Set(toSend);
        return items.map((item, i): SendOutcome => {
          const f = freshness[i]!;
          if (f !== 'new') return f;
          return sent.has(item) ? 'sent' : 'duplicate';
        });
      });
      batches.inc({ outcome: 'sent' });
      this.sent(items.filter((_, i) => outcomes[i] === 'sent'));
      return outcomes.map((value) => ({ ok: true, value }));
    } catch (error) {
      batches.inc({ outcome: 'split' });
      this.logger.entry('warn', 'a batch of deploy requests failed; sending its requests one by one', {
        requests: items.length,
        error: (error as Error).message,
      });
      return Promise.all(items.map((item) => settle(() => this.sendOne(item))));
    }
  }

  /** One request in its own transactions: received, then claimed and published (see `send`). */
  private async sendOne(item: PendingSend): Promise<SendOutcome> {
    const { e } = item;
    // Kept in its own transaction, committed before the instruction can go out: if the `sent` claim below rolls back
    // after the publish, the agent's report finds the request here (`recoverSent`). Not kept once sent.
    await this.requests.receive([e]);
    const outcome = await this.ds.transaction(async (m) => {
      const freshness = await claimEventVersion(m, 'dispatcher', 'dispatcher', 'reconciler.deploy.requested.v1', e);
      if (freshness !== 'new') return freshness;
      const claimed = await this.append(m, sentRow(e));
      if (!claimed) return 'duplicate';
      await this.requests.forgetReceived(m, [e.diid]);
      await this.publishDeploys(m, [item]);
      return 'sent' as const;
    });
    if (outcome === 'sent') this.sent([item]);
    return outcome;
  }

  /**
   * The signed deploy instructions of requests, published to their environments' agents: on its shard with its
   * `environment` attribute to an agent that announced `instructions.v3`, one publish request per shard for the whole
   * batch; on its environment's own v2 topic to any other (an older naisd keeps working while the fleet upgrades).
   */
  private async publishDeploys(m: EntityManager, items: readonly PendingSend[]): Promise<void> {
    const signed = await Promise.all(
      items.map(async ({ e, correlationId, trace }) => ({
        to: e,
        signed: await this.signer.sign(
          { tenant: e.tenant, environment: e.environment, diid: e.diid },
          {
            action: 'deploy',
            release: e.feature,
            chart: e.chart,
            chartDigest: e.chartDigest,
            featureVersion: e.featureVersion,
            hash: e.hash,
            timeoutMs: e.timeoutMs,
            sealedValues: e.sealedValues,
          },
        ),
        options: { correlationId, traceContext: trace },
      })),
    );
    await this.publishInstructions(m, signed);
  }

  /** Publishes signed instructions to their agents, v3 (batched per shard) or v2 by what each agent announced. */
  private async publishInstructions(
    m: EntityManager,
    instructions: readonly { to: { tenant: string; environment: string; environmentId: string }; signed: SignedInstructionV2; options: PublishOptions }[],
  ): Promise<void> {
    const v3 = await this.reports.withCapability(
      m,
      instructions.map((i) => i.to.environmentId),
      INSTRUCTIONS_V3_CAPABILITY,
    );
    const shards = new Map<string, { payload: SignedInstructionV2; options: PublishOptions }[]>();
    const v2: Promise<unknown>[] = [];
    for (const { to, signed, options } of instructions) {
      if (!v3.has(to.environmentId)) {
        v2.push(this.bus.publish(instructionTopic(to.tenant, to.environment), signed, options));
        continue;
      }
      const topic = instructionShardTopic(to.tenant, to.environment);
      shards.set(topic, [
        ...(shards.get(topic) ?? []),
        { payload: signed, options: { ...options, attributes: instructionAttributes(to.tenant, to.environment) } },
      ]);
    }
    await Promise.all([...v2, ...[...shards].map(([topic, events]) => this.bus.publishBatch(topic, events))]);
  }

  /** After the commit: the `sent` rows' events go out, and each instruction is logged. */
  private sent(items: readonly PendingSend[]): void {
    if (items.length === 0) return;
    this.relay.kick();
    for (const { e, correlationId } of items) {
      this.logger.entry('info', 'deploy instruction sent', { diid: e.diid, environment: `${e.tenant}/${e.environment}`, feature: e.feature, correlationId });
    }
  }

  /**
   * Claims the request's version with the publish (see `send`): one uninstall instruction per request, none for a
   * request older than one already sent for the release.
   */
  async uninstall(e: UninstallRequestedV1, correlationId: string): Promise<Exclude<Freshness, 'new'> | undefined> {
    if (PROTECTED_RELEASES.has(e.release)) {
      this.logger.entry('warn', 'refused to uninstall a protected release', { release: e.release, diid: e.diid });
      return undefined;
    }
    return await this.ds.transaction(async (m) => {
      const freshness = await claimEventVersion(m, 'dispatcher', 'dispatcher', 'catalog.uninstall.requested.v1', e);
      if (freshness !== 'new') return freshness;
      const signed = await this.signer.sign(
        { tenant: e.tenant, environment: e.environment, diid: e.diid },
        { action: 'uninstall', release: e.release, timeoutMs: 0 },
      );
      await this.publishInstructions(m, [{ to: e, signed, options: { correlationId } }]);
      return undefined;
    });
  }

  /**
   * The deploy a diid was sent as: its `sent` row, or, when there is none but the request was received (the `sent`
   * claim rolled back after the instruction went out, and no redelivery of the request came to claim it again), the
   * `sent` row recorded now from the received request — only when it names `environmentId`, the environment whose
   * agent key verified the report that asks (a diid is random and travels only in the request and in the instruction
   * signed for that environment: a verified report naming it proves the instruction reached that agent). For a
   * request sent to another environment the request is returned and nothing is written (the caller refuses the
   * report). Undefined: no deploy of that diid is known.
   */
  async recoverSent(diid: string, environmentId: string): Promise<SentDeploy | undefined> {
    const recovered = await this.ds.transaction(async (m) => {
      // Waits for a `send` of the diid in progress (it holds the lock from its claim to its commit).
      await this.requests.lockDiid(m, diid);
      const sent = (await this.reports.sentDeploys([diid], m)).get(diid);
      if (sent) return { deploy: sent, recorded: false };
      const received = await this.requests.received(m, diid);
      if (!received || received.environmentId !== environmentId) return received ? { deploy: received, recorded: false } : undefined;
      await this.append(m, { ...received, diid, status: 'sent', error: null });
      await this.requests.forgetReceived(m, [diid]);
      return { deploy: received, recorded: true };
    });
    if (recovered?.recorded) {
      this.relay.kick();
      this.metrics.counter('fasit_dispatcher_received_requests_total').inc({ outcome: 'recovered' });
      this.logger.entry(
        'warn',
        "a report recorded its deploy's sent row from the received request (the sent claim had rolled back after the instruction went out)",
        {
          diid,
          environmentId,
          feature: recovered.deploy.feature,
        },
      );
    }
    return recovered?.deploy;
  }

  /** The `sent` row of a diid, if recorded. */
  async sentDeploy(diid: string): Promise<SentDeploy | undefined> {
    return (await this.reports.sentDeploys([diid])).get(diid);
  }

  /** Appends one status row (see `appendAll`); returns whether it was new. */
  async append(m: EntityManager, r: StatusRow, timedOut = false): Promise<boolean> {
    const [added] = await this.appendAll(m, [r], timedOut);
    return added === true;
  }

  /**
   * Appends status rows in order (each once per diid and status, no `installing` after `deployed` or `failed`) and
   * announces each new one (in the trace it names, else the active one); says per row whether it was new. A new
   * terminal status counts the deploy as ended (`timedOut`: the agent never answered), with its time since `sent`.
   */
  async appendAll(m: EntityManager, rows: readonly (StatusRow & { traceContext?: TraceContext })[], timedOut = false): Promise<boolean[]> {
    const appended = await this.reports.appendStatuses(m, rows);
    const events = [];
    for (const [i, r] of rows.entries()) {
      const added = appended[i];
      if (!added) continue;
      if (r.status === 'deployed' || r.status === 'failed') {
        const result = timedOut ? 'timed-out' : r.status;
        this.metrics.counter('fasit_deploys_total').inc({ result });
        if (typeof added.sinceSent === 'number') this.metrics.histogram('fasit_deploy_duration_seconds').observe({ result }, Math.max(added.sinceSent, 0));
      }
      events.push(
        outboxEvent(
          'dispatcher.deploy-status.changed.v1',
          { version: 'v1', diid: r.diid, environmentId: r.environmentId, feature: r.feature, status: r.status, hash: r.hash, error: r.error },
          undefined,
          r.traceContext,
        ),
      );
    }
    await enqueueEvents(m, 'dispatcher', events);
    return appended.map((a) => a !== undefined);
  }

  /**
   * Deploys that never reached a terminal status within the timeout are marked failed. Received requests kept for
   * twice the timeout without being sent (a request dropped as stale, or one whose `sent` rolled back and no report
   * ever came) expire: counted and logged.
   */
  async timeOutLostDeploys(): Promise<number> {
    let expired: string[] = [];
    const n = await this.ds.transaction(async (m) => {
      if (!(await this.requests.tryTimeoutLock(m))) return 0;
      expired = await this.requests.expireReceived(m, (2 * this.config.deployTimeoutMs) / 1000);
      const lost = await this.requests.unfinishedSince(m, this.config.deployTimeoutMs / 1000);
      const error = `no result from the agent within ${Math.round(this.config.deployTimeoutMs / 1000)}s; the deploy is presumed lost`;
      await this.appendAll(
        m,
        lost.map((l) => ({ ...l, status: 'failed' as const, error })),
        true,
      );
      return lost.length;
    });
    if (expired.length > 0) {
      this.metrics.counter('fasit_dispatcher_received_requests_total').inc({ outcome: 'expired' }, expired.length);
      this.logger.entry('warn', 'received deploy requests expired unsent (no sent row and no report within twice the deploy timeout)', {
        count: expired.length,
        diids: expired.slice(0, 20),
      });
    }
    if (n > 0) this.relay.kick();
    return n;
  }
}
