// Runs one uninstall instruction: refuses protected names, otherwise `helm uninstall` with its output
// streamed as log reports, then an `uninstall` report (uninstalled or failed) and a fresh inventory.
import { Inject, Injectable } from '@nestjs/common';
import type { VerifiedInstruction } from '@fasit/bus';
import type { ContextLogger, JsonLogger } from '@fasit/config';
import { HelmCommandBuilder } from '../helm/helm-command.builder.js';
import { helmOutcome, type HelmOutcome } from '../helm/helm-outcome.js';
import { HelmRunner } from '../helm/helm.runner.js';
import { InventoryService } from '../inventory/inventory.service.js';
import { NAISD_LOGGER } from '../naisd.tokens.js';
import { LogStreamFactory } from '../reports/log-stream.factory.js';
import { ReportPublisher } from '../reports/report.publisher.js';
import { uninstallRefusal } from './protected-release.js';

/** A verified uninstall instruction. */
export type UninstallInstruction = Extract<VerifiedInstruction, { action: 'uninstall' }>;

@Injectable()
export class UninstallService {
  private readonly log: ContextLogger;

  constructor(
    private readonly commands: HelmCommandBuilder,
    private readonly helm: HelmRunner,
    private readonly reports: ReportPublisher,
    private readonly logs: LogStreamFactory,
    private readonly inventory: InventoryService,
    @Inject(NAISD_LOGGER) logger: JsonLogger,
  ) {
    this.log = logger.child('uninstall');
  }

  async uninstall(instruction: UninstallInstruction): Promise<HelmOutcome> {
    const { diid, release: name } = instruction;
    const refusal = uninstallRefusal(name);
    if (refusal !== null) {
      this.log.warn('uninstall refused', { diid, release: name, reason: refusal });
      await this.report(instruction, { ok: false, error: refusal });
      return { ok: false, error: refusal };
    }
    const command = this.commands.uninstall(name, instruction.timeoutMs);
    const stream = this.logs.open(diid);
    let outcome: HelmOutcome;
    try {
      if (this.commands.dryRun) {
        stream.write('naisd: DRY-RUN (no FASIT_KUBECONFIG): helm simulates the uninstall; nothing is removed from any cluster');
      }
      stream.write(`naisd: helm ${command.args.join(' ')}`);
      const result = await this.helm.run(command, (line) => stream.write(line));
      outcome = helmOutcome(result, command.killAfterMs);
      this.log.info('helm uninstall finished', {
        diid,
        release: name,
        ok: outcome.ok,
        durationMs: result.durationMs,
        ...(outcome.ok ? {} : { error: outcome.error }),
      });
    } finally {
      await stream.close();
    }
    await this.report(instruction, outcome);
    await this.inventory.refresh();
    return outcome;
  }

  private report(i: UninstallInstruction, outcome: HelmOutcome): Promise<void> {
    return this.reports.publish(
      { type: 'uninstall', diid: i.diid, release: i.release, status: outcome.ok ? 'uninstalled' : 'failed', error: outcome.ok ? null : outcome.error },
      i.diid,
    );
  }
}
