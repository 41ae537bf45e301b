// Before the start command starts anything: the fixed ports it will listen on must be free. A port held by another
// process is refused with that process's PID and command line (from /proc on Linux), so a stale or second platform
// is never mistaken for this one (a readiness check would happily reach it).
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createServer } from 'node:net';

export interface PortClaim {
  port: number;
  host: string;
  /** The variable that sets it, for the message. */
  variable: string;
}

export class PortTakenError extends Error {
  override readonly name = 'PortTakenError';
  constructor(
    message: string,
    readonly port: number,
    readonly pid: number | null,
  ) {
    super(message);
  }
}

/** Throws PortTakenError for the first port of `claims` that cannot be bound. */
export async function checkPortsFree(claims: readonly PortClaim[]): Promise<void> {
  for (const claim of claims) {
    if (await canBind(claim.port, claim.host)) continue;
    const pid = portOwner(claim.port);
    const who = pid === null ? 'another process' : `PID ${pid} (${processCommandLine(pid) ?? 'unknown'})`;
    throw new PortTakenError(
      `port ${claim.host}:${claim.port} (${claim.variable}) is in use by ${who}; stop it or set ${claim.variable} to another port`,
      claim.port,
      pid,
    );
  }
}

function canBind(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** The PID listening on `port` (TCP, IPv4 or IPv6), from /proc; null where that cannot be told. */
export function portOwner(port: number): number | null {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const local = cols[1];
      // st 0A = LISTEN; the local address ends in :<port in hex>
      if (local === undefined || cols[3] !== '0A' || Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16) !== port) continue;
      if (cols[9] !== undefined) inodes.add(cols[9]);
    }
  }
  if (inodes.size === 0) return null;
  for (const entry of safeReaddir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    for (const fd of safeReaddir(`/proc/${entry}/fd`)) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${entry}/fd/${fd}`);
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(target);
      if (m && inodes.has(m[1]!)) return Number(entry);
    }
  }
  return null;
}

/** A process's command line (arguments joined by spaces), or null when it does not exist (or is not readable). */
export function processCommandLine(pid: number): string | null {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return raw === '' ? null : raw.replace(/\0+$/, '').split('\0').join(' ');
  } catch {
    try {
      process.kill(pid, 0);
      return '';
    } catch {
      return null;
    }
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
