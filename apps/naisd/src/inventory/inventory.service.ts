// Reports the releases helm knows in this environment: at start, every interval and after each deploy or
// uninstall. With a cluster the inventory is real: each release in naisd's namespace carries the hash of the values
// helm holds for it (`helm get values`), so the control plane can tell a release changed behind its back. Without a
// cluster (dry-run) helm's memory driver holds no releases: the list is empty and says it is not real.
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { ContextLogger, JsonLogger } from '@fasit/config';
import { valuesHash } from '@fasit/domain';
import { NAISD_CONFIG, isDryRun, type NaisdConfig } from '../config/naisd.config.js';
import { HelmCommandBuilder } from '../helm/helm-command.builder.js';
import { helmOutcome } from '../helm/helm-outcome.js';
import { mapHelmList, namesInNamespace } from '../helm/helm-releases.mapper.js';
import { HelmRunner } from '../helm/helm.runner.js';
import { NAISD_LOGGER } from '../naisd.tokens.js';
import { ReportPublisher } from '../reports/report.publisher.js';

@Injectable()
export class InventoryService implements OnModuleDestroy {
  private timer: NodeJS.Timeout | undefined;
  private readonly log: ContextLogger;

  constructor(
    @Inject(NAISD_CONFIG) private readonly config: Pick<NaisdConfig, 'inventoryIntervalMs' | 'kubeconfig' | 'namespace'>,
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
      // Before the list joins helm's serial lane: a deploy may run between the list and the values of each release,
      // so the report goes out later than what it lists; the control plane dates the inventory by this.
      const takenAt = new Date().toISOString();
      const result = await this.helm.run(command);
      const outcome = helmOutcome(result, command.killAfterMs);
      if (!outcome.ok) {
        this.log.error('helm list failed; inventory not reported', { error: outcome.error });
        return false;
      }
      const releases = mapHelmList(result.stdout);
      const real = !isDryRun(this.config);
      if (real) {
        const ours = namesInNamespace(result.stdout, this.config.namespace);
        for (const release of releases) {
          if (!ours.has(release.name)) continue;
          const hash = await this.heldValuesHash(release.name);
          if (hash !== undefined) release.valuesHash = hash;
        }
      }
      await this.reports.publish({ type: 'inventory', releases, real, takenAt });
      this.log.debug('inventory reported', { releases: releases.length, real });
      return true;
    } catch (err) {
      this.log.error('inventory report failed', { error: err instanceof Error ? err.message : String(err) });
      return false;
    }
  }

  /** `valuesHash` (the function the reconciler hashes its rendered values with) of the values helm holds; undefined (logged) when helm cannot say, e.g. a release uninstalled meanwhile. */
  private async heldValuesHash(name: string): Promise<string | undefined> {
    const command = this.commands.values(name);
    const result = await this.helm.run(command);
    const outcome = helmOutcome(result, command.killAfterMs);
    if (!outcome.ok) {
      this.log.warn('helm get values failed; the release is reported without a values hash', { release: name, error: outcome.error });
      return undefined;
    }
    let values: unknown;
    try {
      values = JSON.parse(result.stdout) as unknown;
    } catch {
      this.log.warn('helm get values did not print JSON; the release is reported without a values hash', { release: name });
      return undefined;
    }
    return valuesHash(values);
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
