/** Runs `job` every `intervalMs` (never overlapping itself) until stopped. Errors are reported, not thrown. */
export class Periodic {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly job: () => Promise<unknown>,
    private readonly onError: (name: string, err: unknown) => void,
  ) {}

  start(initialDelayMs = this.intervalMs): void {
    this.stopped = false;
    this.schedule(initialDelayMs);
  }

  /** Run now (coalesced with a run in progress). */
  trigger(): Promise<void> {
    if (this.running) return this.running;
    this.running = this.job()
      .then(() => undefined)
      .catch((e: unknown) => this.onError(this.name, e))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => {
      void this.trigger().then(() => {
        if (!this.stopped) this.schedule(this.intervalMs);
      });
    }, ms);
    this.timer.unref();
  }
}
