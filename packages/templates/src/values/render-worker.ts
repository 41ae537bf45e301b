// A RenderPool worker thread: renders the values of each input it is sent, one at a time. A job may name a shared
// tenant snapshot: the pool sends its environments to this worker once, later jobs of the snapshot only its key.
import { parentPort } from 'node:worker_threads';
import type { SharedEnvironments } from './context.js';
import { SHARED_PER_WORKER, type RenderJob } from './render-pool.js';
import { renderValues, shareEnvironments } from './render-values.js';
import { testTemplate } from './template-test.js';

const snapshots = new Map<string, SharedEnvironments>();

function snapshot(shared: NonNullable<RenderJob['shared']>): SharedEnvironments {
  if (shared.environments !== undefined) {
    // the same count and order as the pool's record of this worker (RenderPool.message)
    snapshots.set(shared.key, shareEnvironments(shared.environments));
    while (snapshots.size > SHARED_PER_WORKER) snapshots.delete(snapshots.keys().next().value!);
  }
  const s = snapshots.get(shared.key);
  if (s === undefined) throw new Error(`render worker: no tenant snapshot ${shared.key}`);
  return s;
}

parentPort?.on('message', (job: RenderJob) => {
  if (job.template !== undefined) {
    parentPort?.postMessage({ id: job.id, result: testTemplate(job.input, job.template) });
    return;
  }
  try {
    parentPort?.postMessage({ id: job.id, result: renderValues(job.input, job.shared && snapshot(job.shared)) });
  } catch (e) {
    parentPort?.postMessage({ id: job.id, result: { ok: false, action: 'render-error', message: (e as Error).message } });
  }
});

// Loaded and listening: the pool starts a job's hard time limit only from here, so a slow start (compiling the
// sources on a busy machine) is not mistaken for a stuck render.
parentPort?.postMessage({ ready: true });
