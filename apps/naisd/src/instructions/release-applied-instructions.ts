// The applied instructions of a naisd with a cluster: its own memory first, then, for an instruction issued before
// this process started (only those can have been applied by an earlier naisd), the release the instruction names:
// the revisions written since it was issued are searched for its `fasit.dev/diid` label. So an instruction
// redelivered after a restart is recognised and not run again (docs/decisions/0015-applied-diids-on-the-release.md).
// Without a cluster (dry-run) nothing is installed and nothing is kept: InMemoryAppliedInstructions alone.
import { Inject, Injectable } from '@nestjs/common';
import { INSTRUCTION_CLOCK_SKEW_SECONDS, type VerifiedInstruction } from '@fasit/bus';
import type { ContextLogger, JsonLogger } from '@fasit/config';
import { HelmCommandBuilder } from '../helm/helm-command.builder.js';
import { helmOutcome } from '../helm/helm-outcome.js';
import { HelmRunner } from '../helm/helm.runner.js';
import { NAISD_LOGGER } from '../naisd.tokens.js';
import { parseHelmHistory } from '../recovery/pending-release.js';
import { InMemoryAppliedInstructions, type AppliedInstructions, type AppliedRecord } from './applied-instructions.js';
import { diidOfRevision, outcomeOf, revisionsToSearch } from './applied-release.js';

const SKEW_MS = INSTRUCTION_CLOCK_SKEW_SECONDS * 1000;

/** An instruction its release records. */
export type OnRelease = Extract<AppliedRecord, { by: 'release' }>;

@Injectable()
export class ReleaseAppliedInstructions implements AppliedInstructions {
  private readonly memory = new InMemoryAppliedInstructions();
  private readonly startedAt = Date.now();
  private readonly log: ContextLogger;

  constructor(
    private readonly commands: HelmCommandBuilder,
    private readonly helm: HelmRunner,
    @Inject(NAISD_LOGGER) logger: JsonLogger,
  ) {
    this.log = logger.child('applied-instructions');
  }

  async find(instruction: VerifiedInstruction, now = new Date()): Promise<AppliedRecord | undefined> {
    const mine = await this.memory.find(instruction, now);
    if (mine !== undefined) return mine;
    // Issued after this process started (with the clock skew): only this process can have applied it, and it did not.
    if (instruction.action !== 'deploy' || instruction.issuedAt.getTime() >= this.startedAt + SKEW_MS) return undefined;
    try {
      return await this.fromRelease(instruction.diid, instruction.release, instruction.issuedAt);
    } catch (e) {
      // The release cannot be read: the deploy runs (its recovery reads the same history and reports what fails).
      this.log.warn('could not read whether the instruction was applied before this naisd started; running it', {
        diid: instruction.diid,
        release: instruction.release,
        error: (e as Error).message,
      });
      return undefined;
    }
  }

  /**
   * Whether a revision of the instruction's release written since it was issued records its diid, whatever this
   * process remembers or when it started: a self-upgrade is finished by a Job and acknowledged by the next naisd.
   */
  findOnRelease(instruction: Pick<VerifiedInstruction, 'diid' | 'release' | 'issuedAt'>): Promise<OnRelease | undefined> {
    return this.fromRelease(instruction.diid, instruction.release, instruction.issuedAt);
  }

  remember(diid: string, expiresAt: Date, now?: Date): Promise<void> {
    return this.memory.remember(diid, expiresAt, now);
  }

  private async fromRelease(diid: string, release: string, issuedAt: Date): Promise<OnRelease | undefined> {
    const history = this.commands.history(release);
    const listed = await this.helm.run(history);
    if (listed.exitCode !== 0 && listed.stderrLines.some((l) => /release: not found/.test(l))) return undefined;
    const listedOutcome = helmOutcome(listed, history.killAfterMs);
    if (!listedOutcome.ok) throw new Error(`helm history of "${release}": ${listedOutcome.error}`);
    for (const entry of revisionsToSearch(parseHelmHistory(listed.stdout), issuedAt, SKEW_MS)) {
      const metadata = this.commands.metadata(release, entry.revision);
      const read = await this.helm.run(metadata);
      const readOutcome = helmOutcome(read, metadata.killAfterMs);
      if (!readOutcome.ok) throw new Error(`helm get metadata of "${release}" revision ${entry.revision}: ${readOutcome.error}`);
      if (diidOfRevision(read.stdout) !== diid) continue;
      const outcome = outcomeOf(entry);
      this.log.info('instruction found applied on its release', {
        diid,
        release,
        revision: entry.revision,
        status: entry.status,
        applied: outcome !== undefined,
      });
      return outcome === undefined ? undefined : { by: 'release', ...outcome };
    }
    return undefined;
  }
}
