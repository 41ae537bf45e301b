// Server-sent events read with fetch, so the bearer token goes along (EventSource cannot send headers).
import { authHeaders } from './client';

export interface StreamEvent {
  event: string;
  data: unknown;
}

/** Calls `onEvent` for every event of the stream at `path` until it ends or `signal` aborts. */
export async function streamEvents(path: string, onEvent: (e: StreamEvent) => void, signal: AbortSignal): Promise<void> {
  const res = await fetch(path, { headers: { accept: 'text/event-stream', ...(await authHeaders()) }, signal });
  if (!res.ok || !res.body) {
    const problem = (await res.json().catch(() => ({}))) as { message?: string };
    throw new Error(problem.message ?? `${res.status} ${res.statusText}`);
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of frame.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      if (data.length > 0) onEvent({ event, data: JSON.parse(data.join('\n')) as unknown });
    }
  }
}
