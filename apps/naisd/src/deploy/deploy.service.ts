// Runs one deploy instruction: values to a private temp file, `installing`, helm upgrade --install with its
// output (and, with a cluster, the Warning events of the release's objects) streamed as log reports, then `deployed` or `failed` with helm's error text. A helm failure is a
// report, never an exception; only a report that cannot be published throws (so the bus redelivers).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { dump } from 'js-yaml';
import type { VerifiedInstruction } from '@fasit/bus';
import { keyList, type ContextLogger, type JsonLogger } from '@fasit/config';
import { openForAgent } from '@fasit/domain';
import { NAISD_CONFIG, type NaisdConfig } from '../config/naisd.config.js';
import { ReleaseEventsWatcher } from '../events/release-events.watcher.js';
import { HelmCommandBuilder, helmDuration } from '../helm/helm-command.builder.js';
import { helmOutcome, type HelmOutcome } from '../helm/helm-outcome.js';
import { HelmRunner } from '../helm/helm.runner.js';
import { InventoryService } from '../inventory/inventory.service.js';
import type { ReleaseOutcome } from '../instructions/applied-release.js';
import { PendingReleaseRecovery } from '../recovery/pending-release.recovery.js';
import { NAISD_LOGGER } from '../naisd.tokens.js';
import { LogStreamFactory } from '../reports/log-stream.factory.js';
import { ReportPublisher } from '../reports/report.publisher.js';
import { OWN_RELEASE } from '../self-upgrade/self-upgrade.check.js';
import { SelfUpgradeService } from '../self-upgrade/self-upgrade.service.js';

/** A verified deploy instruction. */
export type DeployInstruction = Extract<VerifiedInstruction, { action: 'deploy' }>;

@Injectable()
export class DeployService {
  private readonly log: ContextLogger;

  constructor(
    private readonly commands: HelmCommandBuilder,
    private readonly helm: HelmRunner,
    private readonly reports: ReportPublisher,
    private readonly logs: LogStreamFactory,
    private readonly inventory: InventoryService,
    private readonly recovery: PendingReleaseRecovery,
    private readonly events: ReleaseEventsWatcher,
    private readonly selfUpgrades: SelfUpgradeService,
    @Inject(NAISD_LOGGER) logger: JsonLogger,
    @Inject(NAISD_CONFIG) private readonly config: NaisdConfig,
  ) {
    this.log = logger.child('deploy');
  }

  async deploy(instruction: DeployInstruction): Promise<HelmOutcome> {
    const { diid, release } = instruction;
    // naisd's own release: helm in this pod cannot upgrade the Deployment it runs in; a Job does (decision 0021).
    if (release === OWN_RELEASE) return this.selfUpgrades.upgrade(instruction);
    const dir = await mkdtemp(join(tmpdir(), 'naisd-values-'));
    let outcome: HelmOutcome;
    try {
      const valuesFile = join(dir, 'values.yaml');
      try {
        // The values are sealed for this environment's agent key: an instruction meant for another agent does not open.
        const values = openForAgent(keyList(this.config.agentKey), diid, instruction.sealedValues);
        await writeFile(valuesFile, dump(values, { noRefs: true, lineWidth: -1 }), { mode: 0o600 });
      } catch (err) {
        // Values that cannot be opened or written (another agent's, disk full) fail this deploy; they do not crash the agent.
        const error = `naisd could not prepare the values: ${err instanceof Error ? err.message : String(err)}`;
        await this.report(instruction, 'failed', error);
        return { ok: false, error };
      }
      await this.report(instruction, 'installing', null);
      outcome = await this.runHelm(instruction, valuesFile);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    await this.report(instruction, outcome.ok ? 'deployed' : 'failed', outcome.ok ? null : outcome.error);
    await this.inventory.refresh();
    return outcome;
  }

  /**
   * A deploy applied before this naisd started (its release records the diid): helm is not run again; the outcome
   * the release records is reported again, after a log line saying so.
   */
  async reportApplied(instruction: DeployInstruction, applied: ReleaseOutcome): Promise<void> {
    const stream = this.logs.open(instruction.diid);
    try {
      stream.write(
        `naisd: instruction ${instruction.diid} was applied before this naisd started: release "${instruction.release}" revision ${applied.revision} records it, ${applied.status}; helm is not run again, its outcome is reported again`,
      );
    } finally {
      await stream.close();
    }
    await this.report(instruction, applied.status, applied.error);
  }

  private async runHelm(instruction: DeployInstruction, valuesFile: string): Promise<HelmOutcome> {
    const { diid, release } = instruction;
    const command = this.commands.upgrade({
      diid,
      release,
      chart: instruction.chart,
      chartDigest: instruction.chartDigest,
      featureVersion: instruction.featureVersion,
      timeoutMs: instruction.timeoutMs,
      valuesFile,
    });
    const stream = this.logs.open(diid);
    try {
      if (this.commands.dryRun) {
        stream.write('naisd: DRY-RUN (no FASIT_KUBECONFIG): helm renders the chart client-side; nothing is installed in any cluster');
      }
      // A release a killed helm left locked would refuse this upgrade: unlock it first.
      const recovered = await this.recovery.recover(diid, release, instruction.timeoutMs, (line) => stream.write(line));
      if (!recovered.ok) return recovered;
      stream.write(`naisd: helm ${command.args.join(' ')}`);
      const stopEvents = await this.events.watch(diid, release, (line, kind) => stream.write(line, kind));
      this.log.info('helm upgrade started', {
        diid,
        feature: release,
        version: instruction.featureVersion,
        timeout: helmDuration(command.helmTimeoutMs),
        dryRun: this.commands.dryRun,
      });
      const result = await this.helm.run(command, (line) => stream.write(line)).finally(stopEvents);
      const outcome = helmOutcome(result, command.killAfterMs);
      stream.write(outcome.ok ? `naisd: helm finished in ${result.durationMs} ms` : `naisd: helm failed after ${result.durationMs} ms`);
      this.log.info('helm upgrade finished', {
        diid,
        feature: release,
        ok: outcome.ok,
        durationMs: result.durationMs,
        ...(outcome.ok ? {} : { error: outcome.error }),
      });
      return outcome;
    } finally {
      // Every log line is handed to the bus before the terminal status goes out.
      await stream.close();
    }
  }

  private report(i: DeployInstruction, status: 'installing' | 'deployed' | 'failed', error: string | null): Promise<void> {
    return this.reports.publish({ type: 'helm', diid: i.diid, name: i.release, featureVersion: i.featureVersion, status, hash: i.hash, error }, i.diid);
  }
}
