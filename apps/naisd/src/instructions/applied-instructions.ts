// Which instructions this agent has applied, so that one published again (a replay, or a redelivery) is refused
// rather than run twice. An instruction is remembered until it expires: after that a copy is refused as expired
// anyway, so the memory holds at most the instructions of one expiry window.
//
// In memory for now, so a restart forgets: a copy delivered again after a restart, before it expires, runs again
// (helm upgrade of the same release, version and values). A store that survives restarts implements the same
// interface.

export interface AppliedInstructions {
  /** Whether the instruction `diid` was applied here and has not expired yet. */
  has(diid: string, now?: Date): Promise<boolean>;
  /** Remembers that `diid` was applied, until `expiresAt`. */
  remember(diid: string, expiresAt: Date, now?: Date): Promise<void>;
}

export class InMemoryAppliedInstructions implements AppliedInstructions {
  /** diid → expiry (ms), in insertion order. */
  private readonly applied = new Map<string, number>();

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
