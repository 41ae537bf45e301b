// What /readyz answers from: naisd is ready once helm answered and the instruction subscription is live.
import { Injectable } from '@nestjs/common';

export type ReadinessCheck = 'helm' | 'bus';

@Injectable()
export class ReadinessState {
  private readonly passed = new Set<ReadinessCheck>();
  private stopping = false;

  pass(check: ReadinessCheck): void {
    this.passed.add(check);
  }

  markStopping(): void {
    this.stopping = true;
  }

  /** The checks that have not passed yet (empty = ready). */
  missing(): string[] {
    const missing: string[] = (['helm', 'bus'] as const).filter((c) => !this.passed.has(c));
    if (this.stopping) missing.push('stopping');
    return missing;
  }
}
