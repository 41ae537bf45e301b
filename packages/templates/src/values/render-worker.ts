// A RenderPool worker thread: renders the values of each input it is sent, one at a time.
import { parentPort } from 'node:worker_threads';
import { renderValues, type RenderInput } from './render-values.js';

interface Job {
  id: number;
  input: RenderInput;
}

parentPort?.on('message', (job: Job) => {
  parentPort?.postMessage({ id: job.id, result: renderValues(job.input) });
});

// Loaded and listening: the pool starts a job's hard time limit only from here, so a slow start (compiling the
// sources on a busy machine) is not mistaken for a stuck render.
parentPort?.postMessage({ ready: true });
