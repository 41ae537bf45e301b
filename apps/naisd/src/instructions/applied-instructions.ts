// Which instructions this agent has applied, so that one published again (a replay, or a redelivery) is not run
// twice. An instruction is remembered until it expires: after that a copy is refused as expired anyway, so the
// memory holds at most the instructions of one expiry window.
//
// Two stores behind one interface: in memory (this process's own), and, with a cluster, the releases themselves
// (ReleaseAppliedInstructions: every revision is labelled with its diid), which survive a restart.
import type { VerifiedInstruction } from '@fasit/bus';
import type { ReleaseOutcome } from './applied-release.js';

/** How an instruction was applied earlier. */
export type AppliedRecord =
  /** By this naisd process: its final report went out. */
  | { by: 'this-naisd' }
  /** Before this naisd started (by itself before a restart, or by the naisd it replaced), as the release records it. */
  | ({ by: 'release' } & ReleaseOutcome);

export interface AppliedInstructions {
  /** How the (verified) instruction was applied, if it was and has not expired yet. */
  find(instruction: VerifiedInstruction, now?: Date): Promise<AppliedRecord | undefined>;
  /** Remembers that `diid` was applied, until `expiresAt`. */
  remember(diid: string, expiresAt: Date, now?: Date): Promise<void>;
}

export class InMemoryAppliedInstructions implements AppliedInstructions {
  /** diid → expiry (ms), in insertion order. */
  private readonly applied = new Map<string, number>();

  async find(instruction: Pick<VerifiedInstruction, 'diid'>, now = new Date()): Promise<AppliedRecord | undefined> {
    return (await this.has(instruction.diid, now)) ? { by: 'this-naisd' } : undefined;
  }

  has(diid: string, now = new Date()): Promise<boolean> {
    this.forgetExpired(now.getTime());
    return Promise.resolve(this.applied.has(diid));
  }

  remember(diid: string, expiresAt: Date, now = new Date()): Promise<void> {
    this.forgetExpired(now.getTime());
    if (expiresAt.getTime() > now.getTime()) this.applied.set(diid, expiresAt.getTime());
    return Promise.resolve();
  }

  /** How many instructions are remembered (for tests and metrics). */
  get size(): number {
    return this.applied.size;
  }

  private forgetExpired(now: number): void {
    for (const [diid, expiresAt] of this.applied) if (expiresAt <= now) this.applied.delete(diid);
  }
}
