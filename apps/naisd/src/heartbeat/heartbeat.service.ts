// Tells the control plane this agent is alive: at start and every interval.
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { INSTRUCTIONS_V3_CAPABILITY } from '@fasit/bus';
import type { ContextLogger, JsonLogger } from '@fasit/config';
import { ServiceMetrics } from '@fasit/metrics';
import { NAISD_CONFIG, type NaisdConfig } from '../config/naisd.config.js';
import { NAISD_LOGGER } from '../naisd.tokens.js';
import { ReportPublisher } from '../reports/report.publisher.js';

@Injectable()
export class HeartbeatService implements OnModuleDestroy {
  private timer: NodeJS.Timeout | undefined;
  private readonly log: ContextLogger;

  constructor(
    @Inject(NAISD_CONFIG) private readonly config: Pick<NaisdConfig, 'heartbeatIntervalMs' | 'agentVersion' | 'instructions'>,
    private readonly reports: ReportPublisher,
    @Inject(NAISD_LOGGER) logger: JsonLogger,
    private readonly metrics: ServiceMetrics,
  ) {
    this.log = logger.child('heartbeat');
  }

  start(): void {
    void this.beat();
    this.timer ??= setInterval(() => void this.beat(), this.config.heartbeatIntervalMs);
  }

  /** Sends one heartbeat. Never throws: a missed beat is logged, the next one follows. */
  async beat(): Promise<boolean> {
    try {
      // An agent on its shard says so: the dispatcher then sends it v3 instructions (decision 0024).
      await this.reports.publish({
        type: 'heartbeat',
        agentVersion: this.config.agentVersion,
        ...(this.config.instructions === 'v3' ? { capabilities: [INSTRUCTIONS_V3_CAPABILITY] } : {}),
      });
      this.metrics.gauge('fasit_naisd_last_heartbeat_timestamp_seconds').set(Date.now() / 1000);
      return true;
    } catch (err) {
      this.log.error('heartbeat failed', { error: err instanceof Error ? err.message : String(err) });
      return false;
    }
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
