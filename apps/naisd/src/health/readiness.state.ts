// What /readyz answers from: naisd is ready once helm answered and the instruction subscription is live; and
// whether naisd is stopping (work that waits on the cluster, like following the self-upgrade Job, ends then).
import { Injectable } from '@nestjs/common';

export type ReadinessCheck = 'helm' | 'bus';

@Injectable()
export class ReadinessState {
  private readonly passed = new Set<ReadinessCheck>();
  private stopping = false;

  pass(check: ReadinessCheck): void {
    this.passed.add(check);
  }

  private readonly sleepers = new Set<() => void>();

  markStopping(): void {
    this.stopping = true;
    for (const wake of this.sleepers) wake();
    this.sleepers.clear();
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  /** Waits `ms`, or less when naisd starts stopping meanwhile (work that waits on the cluster ends promptly). */
  sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }

  /** The checks that have not passed yet (empty = ready). */
  missing(): string[] {
    const missing: string[] = (['helm', 'bus'] as const).filter((c) => !this.passed.has(c));
    if (this.stopping) missing.push('stopping');
    return missing;
  }
}
