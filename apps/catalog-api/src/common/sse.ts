// Server-sent events: a stream of `event: <name>` / `data: <json>` frames, ended when the source ends or the
// caller goes away. The console reads them with fetch (so its bearer token goes along), curl with -N.
import type { Request, Response } from 'express';

export interface ServerEvent {
  event: string;
  data: unknown;
}

/** Writes every event of `source` as it comes; stops the source when the client disconnects. */
export async function sendEvents(req: Request, res: Response, source: (signal: AbortSignal) => AsyncIterable<ServerEvent>): Promise<void> {
  const abort = new AbortController();
  req.on('close', () => abort.abort());
  res.status(200);
  res.setHeader('content-type', 'text/event-stream; charset=utf-8');
  res.setHeader('cache-control', 'no-cache, no-transform');
  res.setHeader('x-accel-buffering', 'no');
  res.flushHeaders();
  try {
    for await (const e of source(abort.signal)) {
      if (abort.signal.aborted) break;
      res.write(`event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`);
    }
  } catch (e) {
    if (!abort.signal.aborted) res.write(`event: error\ndata: ${JSON.stringify({ message: (e as Error).message })}\n\n`);
  } finally {
    abort.abort();
    res.end();
  }
}

/** Resolves after `ms`, or at once when the signal aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });
}
