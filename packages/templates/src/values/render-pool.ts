// renderValues in worker threads with a hard time limit. The engine's limits (time per template, a budget per
// render, output size) stop a template between steps; they cannot interrupt one synchronous call that never
// returns, such as a JavaScript regular expression backtracking exponentially inside `regexMatch` (Go's RE2 is
// linear; JavaScript's engine is not). A RenderPool runs each render in a worker thread and terminates the worker
// when a render exceeds `hardTimeoutMs`, so such a template costs one render-error, not a stalled process.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { RenderEnvironment, RenderInput, RenderResult } from './render-values.js';
import type { TemplateTestResult } from './template-test.js';

export interface RenderPoolOptions {
  /** Worker threads (default: half the CPUs, at least 1). */
  workers?: number;
  /** A render still running after this long is abandoned and its worker replaced (default 10 s). */
  hardTimeoutMs?: number;
}

/** What the pool posts to a worker. */
export interface RenderJob {
  id: number;
  input: RenderInput;
  /** The tenant snapshot the job renders with; `environments` only when the worker does not hold it yet. */
  shared?: { key: string; environments?: readonly RenderEnvironment[] };
  /** Set: render this one template with the input's data (`testTemplate`) instead of the feature's values. */
  template?: string;
}

type JobResult = RenderResult | TemplateTestResult;

/** Tenant snapshots a worker keeps, oldest dropped first (the pool tracks the same per worker). */
export const SHARED_PER_WORKER = 8;

interface Pending {
  id: number;
  input: RenderInput;
  sharedKey?: string;
  template?: string;
  resolve: (result: JobResult) => void;
}

/** What a job that did not finish answers (closed pool, stuck or failed worker), in its own result shape. */
function failed(job: Pending, message: string): JobResult {
  if (job.template !== undefined) return { ok: false, stage: 'execute', message, line: null, column: null };
  return { ok: false, action: 'render-error', message };
}

interface Slot {
  worker: Worker;
  /** The worker has loaded and said so; jobs go only to ready workers. */
  ready: boolean;
  /** Keys of the tenant snapshots the worker holds, oldest first. */
  shared: string[];
  job?: Pending;
  timer?: NodeJS.Timeout;
}

// From source the worker is render-worker.ts; in a compiled image it is render-worker.js next to this file.
const WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? './render-worker.ts' : './render-worker.js', import.meta.url);
const TS_LOADER = '@swc-node/register/esm-register';

/** The worker needs the TypeScript loader when this process runs from source (it does in this repository). */
function workerExecArgv(): string[] {
  const argv = [...process.execArgv];
  if (import.meta.url.endsWith('.ts') && !argv.some((a) => a.includes(TS_LOADER))) argv.push('--import', TS_LOADER);
  return argv;
}

export class RenderPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private readonly hardTimeoutMs: number;
  private nextId = 1;
  private closed = false;

  constructor(options: RenderPoolOptions = {}) {
    const size = Math.max(1, options.workers ?? Math.floor(availableParallelism() / 2));
    this.hardTimeoutMs = options.hardTimeoutMs ?? 10_000;
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  /**
   * Renders in a worker. Resolves with the result, or a render-error when the hard limit or the worker failed.
   * `sharedKey` names the tenant snapshot `input.tenantEnvironments` belongs to (a reconciler batch and tenant):
   * renders with the same key must carry the same environments, which then travel to each worker once and are
   * turned into template data once (`shareEnvironments`), not once per render.
   */
  render(input: RenderInput, sharedKey?: string): Promise<RenderResult> {
    if (this.closed) return Promise.resolve({ ok: false, action: 'render-error', message: 'the render pool is closed' });
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, input, ...(sharedKey !== undefined ? { sharedKey } : {}), resolve: resolve as (r: JobResult) => void });
      this.dispatch();
    });
  }

  /** `testTemplate(input, template)` in a worker, under the same hard time limit. */
  testTemplate(input: RenderInput, template: string): Promise<TemplateTestResult> {
    if (this.closed) return Promise.resolve({ ok: false, stage: 'execute', message: 'the render pool is closed', line: null, column: null });
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, input, template, resolve: resolve as (r: JobResult) => void });
      this.dispatch();
    });
  }

  /** Stops every worker; pending renders resolve as render-errors. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.resolve(failed(job, 'the render pool is closed'));
    await Promise.all(
      this.slots.map(async (slot) => {
        this.finish(slot, 'the render pool is closed');
        await slot.worker.terminate();
      }),
    );
  }

  private spawn(): Slot {
    const worker = new Worker(WORKER_URL, { execArgv: workerExecArgv() });
    const slot: Slot = { worker, ready: false, shared: [] };
    worker.on('message', (msg: { id: number; result: JobResult } | { ready: true }) => {
      if ('ready' in msg) {
        slot.ready = true;
        this.dispatch();
        return;
      }
      if (slot.job?.id !== msg.id) return;
      this.finish(slot, msg.result);
      this.dispatch();
    });
    worker.on('error', (e) => {
      const message = `the render worker failed: ${e instanceof Error ? e.message : String(e)}`;
      // A worker that fails before it is ready cannot serve the queue: answer it rather than wait forever.
      if (!slot.ready) for (const job of this.queue.splice(0)) job.resolve(failed(job, message));
      this.replace(slot, message);
    });
    worker.unref();
    return slot;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (!slot.ready || slot.job !== undefined) continue;
      const job = this.queue.shift();
      if (job === undefined) return;
      slot.job = job;
      slot.timer = setTimeout(() => {
        this.replace(slot, `rendering took longer than ${this.hardTimeoutMs} ms and was stopped`);
      }, this.hardTimeoutMs);
      slot.worker.postMessage(this.message(slot, job));
    }
  }

  private message(slot: Slot, job: Pending): RenderJob {
    const key = job.sharedKey;
    if (job.template !== undefined) return { id: job.id, input: job.input, template: job.template };
    if (key === undefined) return { id: job.id, input: job.input };
    const input = { ...job.input, tenantEnvironments: [] };
    if (slot.shared.includes(key)) return { id: job.id, input, shared: { key } };
    slot.shared.push(key);
    if (slot.shared.length > SHARED_PER_WORKER) slot.shared.shift();
    return { id: job.id, input, shared: { key, environments: job.input.tenantEnvironments } };
  }

  /** Answers the slot's job with `result`, or, given a message, with the failure of its kind. */
  private finish(slot: Slot, result: JobResult | string): void {
    if (slot.timer !== undefined) clearTimeout(slot.timer);
    const job = slot.job;
    slot.job = undefined;
    slot.timer = undefined;
    if (job) job.resolve(typeof result === 'string' ? failed(job, result) : result);
  }

  /** Ends a stuck or failed worker, answers its job with `message`, and starts a fresh worker in its place. */
  private replace(slot: Slot, message: string): void {
    const i = this.slots.indexOf(slot);
    this.finish(slot, message);
    void slot.worker.terminate();
    if (i >= 0 && !this.closed) {
      this.slots[i] = this.spawn();
      this.dispatch();
    }
  }
}
