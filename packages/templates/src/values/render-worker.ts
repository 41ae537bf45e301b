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
