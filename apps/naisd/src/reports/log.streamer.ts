// Buffers the output lines of one helm run and sends them in batches: every flush interval, when a batch is
// full, and once more when the run ends. Batches go out one at a time, in order. Logs are best effort: a
// batch that cannot be sent is reported to onError and dropped, it never fails the deploy.
import type { LogLine } from '@fasit/bus';

export const MAX_LINES_PER_BATCH = 500;
export const MAX_LINE_CHARS = 8_000;

export interface LogStreamerOptions {
  flushIntervalMs: number;
  maxLinesPerBatch?: number;
  onError?: (err: unknown) => void;
  now?: () => Date;
}

export class LogStreamer {
  private buffer: LogLine[] = [];
  private sending: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;
  private closed = false;
  private readonly maxLines: number;

  constructor(
    private readonly send: (lines: LogLine[]) => Promise<void>,
    private readonly options: LogStreamerOptions,
  ) {
    this.maxLines = options.maxLinesPerBatch ?? MAX_LINES_PER_BATCH;
    this.timer = setInterval(() => this.flush(), options.flushIntervalMs);
  }

  write(msg: string, kind: LogLine['kind'] = 'helm'): void {
    if (this.closed) return;
    const text = msg.length > MAX_LINE_CHARS ? `${msg.slice(0, MAX_LINE_CHARS - 1)}…` : msg;
    this.buffer.push({ time: (this.options.now?.() ?? new Date()).toISOString(), msg: text, kind });
    if (this.buffer.length >= this.maxLines) this.flush();
  }

  /** Sends what is buffered and stops the timer; resolves when every batch has been handed to the bus. */
  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      clearInterval(this.timer);
      this.flush();
    }
    await this.sending;
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    this.sending = this.sending.then(() => this.send(batch)).catch((err: unknown) => this.options.onError?.(err));
  }
}
