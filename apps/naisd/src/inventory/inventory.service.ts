// Reports the releases helm knows in this environment: at start, every interval and after each deploy or
// uninstall. Without a cluster (dry-run) helm's memory driver holds no releases, so the list is empty.
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { ContextLogger, JsonLogger } from '@fasit/config';
import { NAISD_CONFIG, type NaisdConfig } from '../config/naisd.config.js';
import { HelmCommandBuilder } from '../helm/helm-command.builder.js';
import { helmOutcome } from '../helm/helm-outcome.js';
import { mapHelmList } from '../helm/helm-releases.mapper.js';
import { HelmRunner } from '../helm/helm.runner.js';
import { NAISD_LOGGER } from '../naisd.tokens.js';
import { ReportPublisher } from '../reports/report.publisher.js';

@Injectable()
export class InventoryService implements OnModuleDestroy {
  private timer: NodeJS.Timeout | undefined;
  private readonly log: ContextLogger;

  constructor(
    @Inject(NAISD_CONFIG) private readonly config: Pick<NaisdConfig, 'inventoryIntervalMs'>,
    private readonly commands: HelmCommandBuilder,
    private readonly helm: HelmRunner,
    private readonly reports: ReportPublisher,
    @Inject(NAISD_LOGGER) logger: JsonLogger,
  ) {
    this.log = logger.child('inventory');
  }

  start(): void {
    void this.refresh();
    this.timer ??= setInterval(() => void this.refresh(), this.config.inventoryIntervalMs);
  }

  /** Lists the releases and reports them. Never throws: a failed refresh is logged and the next one retries. */
  async refresh(): Promise<boolean> {
    try {
      const command = this.commands.list();
      const result = await this.helm.run(command);
      const outcome = helmOutcome(result, command.killAfterMs);
      if (!outcome.ok) {
        this.log.error('helm list failed; inventory not reported', { error: outcome.error });
        return false;
      }
      const releases = mapHelmList(result.stdout);
      await this.reports.publish({ type: 'inventory', releases });
      this.log.debug('inventory reported', { releases: releases.length });
      return true;
    } catch (err) {
      this.log.error('inventory report failed', { error: err instanceof Error ? err.message : String(err) });
      return false;
    }
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
