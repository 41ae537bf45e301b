// A handler that failed because something it depends on could not be reached — the database restarting, failing
// over or cutting its connection — failed for no fault of its message. Counting such failures toward dead-lettering
// turns a database restart of a few seconds into lost messages (the chaos run lost agents' reports so: five
// deliveries spent in under a second while PostgreSQL said "the database system is starting up"). Such a message is
// redelivered however often it was delivered, after a growing delay.

/** SQLSTATEs of a server that cannot take the work now: class 08 (connection exception) and these of class 57 and 53. */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
/** Node's codes for a connection that could not be made or was cut. */
const UNAVAILABLE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);
/** What `pg` says, without a code, when its connection ended under it or none could be had in time. */
const UNAVAILABLE_MESSAGES =
  /^(Connection terminated|Client has encountered a connection error and is not queryable|timeout exceeded when trying to connect|Client was closed and is not queryable)/;

/** Whether `err` (or what it wraps: `cause`, TypeORM's `driverError`) says a dependency was unreachable. */
export function isUnavailable(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && typeof e === 'object' && e !== null; depth++) {
    const { code, message, cause, driverError } = e as { code?: unknown; message?: unknown; cause?: unknown; driverError?: unknown };
    if (typeof code === 'string' && (code.startsWith('08') || UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_ERRNOS.has(code))) return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message)) return true;
    e = driverError ?? cause;
  }
  return false;
}

/** How long an unavailable failure's message waits before its redelivery: 1, 2, 4, 8, then 10 s per attempt. */
export function unavailableDelaySeconds(attempt: number): number {
  return Math.min(2 ** Math.max(attempt - 1, 0), 10);
}
