// Before each deploy against a cluster: a release a killed helm left pending is rolled back to its last deployed
// revision, or uninstalled when it never deployed, so the deploy that follows is not refused. Every step is
// written to the deploy log of the instruction that found it.
import { Inject, Injectable } from '@nestjs/common';
import type { ContextLogger, JsonLogger } from '@fasit/config';
import { HelmCommandBuilder } from '../helm/helm-command.builder.js';
import { helmOutcome, type HelmOutcome } from '../helm/helm-outcome.js';
import { HelmRunner } from '../helm/helm.runner.js';
import { NAISD_LOGGER } from '../naisd.tokens.js';
import { parseHelmHistory, pendingRecovery } from './pending-release.js';

@Injectable()
export class PendingReleaseRecovery {
  private readonly log: ContextLogger;

  constructor(
    private readonly commands: HelmCommandBuilder,
    private readonly helm: HelmRunner,
    @Inject(NAISD_LOGGER) logger: JsonLogger,
  ) {
    this.log = logger.child('recovery');
  }

  /** Nothing to do in dry-run mode (the memory driver keeps no release between helm runs). */
  async recover(diid: string, name: string, timeoutMs: number, write: (line: string) => void): Promise<HelmOutcome> {
    if (this.commands.dryRun) return { ok: true };
    const history = this.commands.history(name);
    const listed = await this.helm.run(history);
    if (listed.exitCode !== 0 && listed.stderrLines.some((l) => /release: not found/.test(l))) return { ok: true };
    const listedOutcome = helmOutcome(listed, history.killAfterMs);
    if (!listedOutcome.ok) return { ok: false, error: `naisd could not read the history of release "${name}": ${listedOutcome.error}` };
    let plan;
    try {
      plan = pendingRecovery(parseHelmHistory(listed.stdout));
    } catch (e) {
      return { ok: false, error: `naisd could not read the history of release "${name}": ${(e as Error).message}` };
    }
    if (plan.kind === 'none') return { ok: true };

    const what = `release "${name}" was left ${plan.pendingStatus} at revision ${plan.pendingRevision} by a helm that did not finish`;
    const action = plan.kind === 'rollback' ? `rolling back to revision ${plan.toRevision}, its last deployed` : 'uninstalling it: it never deployed';
    write(`naisd: recovery: ${what}; ${action}`);
    this.log.warn('pending release found', { diid, release: name, ...plan });
    const command = plan.kind === 'rollback' ? this.commands.rollback(name, plan.toRevision, timeoutMs) : this.commands.uninstall(name, timeoutMs);
    write(`naisd: helm ${command.args.join(' ')}`);
    const outcome = helmOutcome(await this.helm.run(command, (line) => write(line)), command.killAfterMs);
    if (!outcome.ok) {
      write(`naisd: recovery of release "${name}" failed`);
      this.log.error('pending release not recovered', { diid, release: name, error: outcome.error });
      return { ok: false, error: `naisd could not recover ${what}: ${outcome.error}` };
    }
    const done = plan.kind === 'rollback' ? `rolled back to revision ${plan.toRevision}` : 'uninstalled';
    write(`naisd: recovery: release "${name}" ${done}; deploying`);
    this.log.info('pending release recovered', { diid, release: name, ...plan });
    return { ok: true };
  }
}
