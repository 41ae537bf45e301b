// Live views as server-sent events. The catalog does not consume the agents' log and status events; it watches
// the rows the dispatcher writes (every 500 ms for a deploy's log, every second for an assignment's status) and
// sends what is new. A stream ends when its subject settles (a deploy deployed or failed, with its last lines),
// when the caller goes away, or after 15 minutes (the console reconnects).
import { Injectable } from '@nestjs/common';
import { isDeepStrictEqual } from 'node:util';
import { pause, type ServerEvent } from '../common/sse.js';
import type { Assignment } from '../assignments/assignment.entity.js';
import { AssignmentStatusService } from '../assignments/assignment-status.service.js';
import { LiveReader } from './live.reader.js';

const LOG_POLL_MS = 500;
const STATUS_POLL_MS = 1000;
const STREAM_MAX_MS = 15 * 60_000;
const LINES_PER_READ = 1000;

@Injectable()
export class LiveService {
  constructor(
    private readonly reader: LiveReader,
    private readonly statuses: AssignmentStatusService,
  ) {}

  /** `line` for every log line (from the first), `status` when the deploy's status changes, `end` once it settled. */
  async *deployLog(environmentId: string, feature: string, diid: string, signal: AbortSignal): AsyncGenerator<ServerEvent> {
    const until = Date.now() + STREAM_MAX_MS;
    let after = '0';
    let last: unknown = null;
    while (!signal.aborted && Date.now() < until) {
      const status = await this.reader.deployStatus(environmentId, feature, diid);
      for (
        let lines = await this.reader.linesAfter(diid, after, LINES_PER_READ);
        lines.length > 0;
        lines = await this.reader.linesAfter(diid, after, LINES_PER_READ)
      ) {
        for (const l of lines) yield { event: 'line', data: { time: l.time, msg: l.msg, kind: l.kind } };
        after = lines[lines.length - 1]!.id;
      }
      if (status && !isDeepStrictEqual(status, last)) {
        last = status;
        yield { event: 'status', data: status };
      }
      if (status && (status.status === 'deployed' || status.status === 'failed')) {
        yield { event: 'end', data: status };
        return;
      }
      await pause(LOG_POLL_MS, signal);
    }
  }

  /** `status` with the assignment's status now and whenever it changes. */
  async *assignmentStatus(
    a: Assignment,
    shows: (e: { tenant: string; labels: Readonly<Record<string, string>> }) => boolean,
    signal: AbortSignal,
  ): AsyncGenerator<ServerEvent> {
    const until = Date.now() + STREAM_MAX_MS;
    let last: unknown = null;
    while (!signal.aborted && Date.now() < until) {
      const status = await this.statuses.status(a, shows);
      const comparable = { ...status, environments: status.environments.map(({ updatedAt: _, ...e }) => e) };
      if (!isDeepStrictEqual(comparable, last)) {
        last = comparable;
        yield { event: 'status', data: status };
      }
      await pause(STATUS_POLL_MS, signal);
    }
  }
}
