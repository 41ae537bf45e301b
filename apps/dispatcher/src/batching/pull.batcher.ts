// Gathers the items handed to it in one turn of the event loop into one batch. The bus hands a subscriber the
// messages of one Pull together (each to its own handler call, in the same turn), so a batch is what one pull
// brought: the reports of a pull are written in one transaction (decision 0026), the deploy requests of a pull sent
// in one (decision 0029), while each message is still acked, redelivered or dead-lettered on its own (its handler
// call settles with its own outcome).

/** One item's outcome: its value, or the error its handler call rejects with. */
export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

export class PullBatcher<T, R> {
  private waiting: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];

  /** `write` settles every item of a batch (one outcome per item, in order); a rejection of it fails them all. */
  constructor(private readonly write: (items: T[]) => Promise<Settled<R>[]>) {}

  /** Resolves or rejects with the item's own outcome once the batch it joined is written. */
  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      if (this.waiting.length === 0) setImmediate(() => void this.flush());
      this.waiting.push({ item, resolve, reject });
    });
  }

  private async flush(): Promise<void> {
    const batch = this.waiting;
    this.waiting = [];
    let outcomes: Settled<R>[];
    try {
      outcomes = await this.write(batch.map((b) => b.item));
    } catch (error) {
      outcomes = batch.map(() => ({ ok: false, error }));
    }
    batch.forEach((b, i) => {
      const o = outcomes[i] ?? { ok: false, error: new Error('the batch writer gave no outcome for this item') };
      if (o.ok) b.resolve(o.value);
      else b.reject(o.error);
    });
  }
}
