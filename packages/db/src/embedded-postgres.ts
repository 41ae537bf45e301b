// An embedded PostgreSQL (PGlite: PostgreSQL in WASM) behind a local TCP socket, for machines where a real server
// cannot be started. `pg` and TypeORM connect to it like to any server. About 2.5x slower than a real one.
//
// PGlite is one backend, one session: the socket server in front of it makes several client connections share it
// safely. Per connection it buffers the frontend messages and hands PGlite whole protocol units, one unit at a time
// across all connections: the startup packet; an extended-query sequence up to and including its Sync (or a
// Flush, after which the connection keeps the backend until its Sync); a simple Query. While a transaction is open
// (PGlite's `isInTransaction()`), only the connection that opened it runs; the others wait. A connection that
// closes with its transaction open is rolled back; one idle in an open transaction for longer than
// `idleInTransactionTimeoutMs` is terminated like PostgreSQL's idle_in_transaction_session_timeout does, so a
// forgotten transaction cannot stall the whole platform.
//
// Because it is one session, session state is shared by all connections: SET (without LOCAL), named prepared
// statements, temporary tables, and session-level advisory locks (which therefore never block each other).
// Transaction-level state (SET LOCAL, pg_advisory_xact_lock, row locks) behaves as on a real server, since
// transactions never interleave. COPY FROM STDIN, LISTEN/NOTIFY and cancel requests are not supported.
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** A directory for the data (created when missing, reused when it holds a database); in memory without one. */
  dataDir?: string;
  /** 0 picks a free port; `url` carries the one chosen. */
  port: number;
  host?: string;
  /** A connection holding an open transaction without sending anything for this long is terminated. */
  idleInTransactionTimeoutMs?: number;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const host = options.host ?? '127.0.0.1';
  const db = await PGlite.create({ ...(options.dataDir ? { dataDir: options.dataDir } : {}), extensions: { pgcrypto } });
  // TypeORM runs `CREATE EXTENSION IF NOT EXISTS "pgcrypto"` (its uuidExtension) on every start.
  await db.exec('CREATE EXTENSION IF NOT EXISTS pgcrypto');
  const backend = new SharedBackend(db, options.idleInTransactionTimeoutMs ?? 60_000);
  const server = createServer((socket) => backend.accept(socket));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    await db.close();
    throw e;
  }
  const port = (server.address() as AddressInfo).port;
  let stopped: Promise<void> | undefined;
  return {
    url: `postgres://postgres@${host}:${port}/postgres`,
    stop() {
      stopped ??= (async () => {
        await closeServer(server, backend);
        await db.close();
      })();
      return stopped;
    },
  };
}

async function closeServer(server: Server, backend: SharedBackend): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  await backend.shutdown();
  await closed;
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const MAX_STARTUP_LENGTH = 10_000;

/** The frontend messages after which PGlite answers and the unit is complete. */
const UNIT_END = new Set(['S', 'Q', 'H', 'p', 'c', 'f'].map((c) => c.charCodeAt(0)));
const FLUSH = 'H'.charCodeAt(0);
const TERMINATE = 'X'.charCodeAt(0);

interface Unit {
  bytes: Uint8Array;
  /** The type of the unit's last message (0 for the startup packet). */
  last: number;
  /** Output is dropped (the clean-up of a closed connection). */
  silent?: boolean;
}

function wireMessage(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

/** Ends whatever the connection left: an unfinished extended-query sequence (Sync) and an open transaction. */
const CLEAN_UP = new Uint8Array(Buffer.concat([wireMessage('S', Buffer.alloc(0)), wireMessage('Q', Buffer.from('ROLLBACK\0'))]));

/** A FATAL ErrorResponse, as PostgreSQL sends before it closes a connection. */
function fatal(code: string, message: string): Buffer {
  const fields = Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${message}\0\0`, 'utf8');
  return wireMessage('E', fields);
}

class Connection {
  private pending: Buffer = Buffer.alloc(0);
  private pieces: Buffer[] = [];
  private started = false;
  readonly units: Unit[] = [];
  closed = false;
  idleTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly id: number,
    readonly socket: Socket,
  ) {}

  /** Cuts the received bytes into units; false when the connection must be closed. */
  receive(chunk: Buffer, reply: (bytes: Buffer) => void): 'ok' | 'terminate' | 'protocol-error' {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    for (;;) {
      if (!this.started) {
        if (this.pending.length < 8) return 'ok';
        const length = this.pending.readInt32BE(0);
        const code = this.pending.readInt32BE(4);
        if (length < 8 || length > MAX_STARTUP_LENGTH) return 'protocol-error';
        if (this.pending.length < length) return 'ok';
        const packet = this.pending.subarray(0, length);
        this.pending = this.pending.subarray(length);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) reply(Buffer.from('N'));
        else if (code === CANCEL_REQUEST) return 'terminate';
        else {
          this.started = true;
          this.units.push({ bytes: new Uint8Array(packet), last: 0 });
        }
        continue;
      }
      if (this.pending.length < 5) return 'ok';
      const type = this.pending[0]!;
      const length = this.pending.readInt32BE(1);
      if (length < 4) return 'protocol-error';
      if (this.pending.length < 1 + length) return 'ok';
      const message = this.pending.subarray(0, 1 + length);
      this.pending = this.pending.subarray(1 + length);
      if (type === TERMINATE) return 'terminate';
      this.pieces.push(message);
      if (UNIT_END.has(type)) {
        this.units.push({ bytes: new Uint8Array(Buffer.concat(this.pieces)), last: type });
        this.pieces = [];
      }
    }
  }

  send(bytes: Uint8Array): void {
    if (!this.closed && this.socket.writable) this.socket.write(Buffer.from(bytes));
  }
}

/** PGlite's one backend shared by every connection, one protocol unit at a time, transactions kept together. */
class SharedBackend {
  private readonly connections = new Set<Connection>();
  /** Connections with units to run, in the order they became ready. */
  private readonly ready: Connection[] = [];
  /** The connection the backend belongs to until it ends its transaction or extended-query sequence. */
  private owner: Connection | null = null;
  private running: Promise<void> | null = null;
  private stopping = false;
  private nextId = 1;

  constructor(
    private readonly db: PGlite,
    private readonly idleInTransactionTimeoutMs: number,
  ) {}

  accept(socket: Socket): void {
    if (this.stopping) {
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    const c = new Connection(this.nextId++, socket);
    this.connections.add(c);
    socket.on('data', (chunk: Buffer) => {
      if (c.closed) return;
      const outcome = c.receive(chunk, (bytes) => c.send(bytes));
      if (outcome === 'protocol-error') c.send(fatal('08P01', 'invalid frontend message length'));
      if (outcome !== 'ok') {
        socket.end();
        this.closed(c);
        return;
      }
      if (c.units.length > 0) {
        this.clearIdleTimer(c);
        this.markReady(c);
        this.pump();
      }
    });
    socket.on('error', () => this.closed(c));
    socket.on('close', () => this.closed(c));
  }

  /** Stops taking work, closes every connection and waits for the unit running now and the clean-ups. */
  async shutdown(): Promise<void> {
    this.stopping = true;
    for (const c of [...this.connections]) {
      c.socket.destroy();
      this.closed(c);
    }
    while (this.running) await this.running;
  }

  private markReady(c: Connection): void {
    if (!this.ready.includes(c)) this.ready.push(c);
  }

  private closed(c: Connection): void {
    if (c.closed) return;
    c.closed = true;
    this.clearIdleTimer(c);
    this.connections.delete(c);
    c.units.length = 0;
    if (this.owner === c) {
      // Its transaction (or unfinished extended-query sequence) must not outlive it.
      c.units.push({ bytes: CLEAN_UP, last: 'Q'.charCodeAt(0), silent: true });
      this.markReady(c);
    } else {
      const i = this.ready.indexOf(c);
      if (i >= 0) this.ready.splice(i, 1);
    }
    this.pump();
  }

  private pick(): Connection | undefined {
    const i = this.owner ? this.ready.indexOf(this.owner) : 0;
    if (i < 0 || i >= this.ready.length) return undefined;
    return this.ready.splice(i, 1)[0];
  }

  private pump(): void {
    if (this.running) return;
    const c = this.pick();
    if (!c) return;
    const unit = c.units.shift();
    if (!unit) return this.pump();
    this.running = this.run(c, unit).finally(() => {
      this.running = null;
      if (c.units.length > 0) this.markReady(c);
      this.pump();
    });
  }

  private async run(c: Connection, unit: Unit): Promise<void> {
    try {
      await this.db.runExclusive(() =>
        this.db.execProtocolRawStream(unit.bytes, {
          onRawData: (bytes) => {
            if (!unit.silent) c.send(bytes);
          },
        }),
      );
    } catch (e) {
      // PGlite itself failed (not an SQL error: those are answered on the wire); this connection cannot go on.
      if (!c.closed) {
        c.send(fatal('XX000', `embedded PostgreSQL: ${(e as Error).message}`));
        c.socket.destroy();
      }
    }
    const holds = this.db.isInTransaction() || unit.last === FLUSH;
    if (holds) {
      if (unit.silent) {
        // The clean-up could not end it: give the backend back rather than stall everybody.
        process.emitWarning(`embedded PostgreSQL: could not roll back the transaction of closed connection #${c.id}`);
        this.owner = null;
      } else {
        this.owner = c;
        if (c.closed && c.units.length === 0) {
          c.units.push({ bytes: CLEAN_UP, last: 'Q'.charCodeAt(0), silent: true });
        } else if (c.units.length === 0) this.startIdleTimer(c);
      }
    } else if (this.owner === c) this.owner = null;
  }

  private startIdleTimer(c: Connection): void {
    if (this.idleInTransactionTimeoutMs <= 0) return;
    this.clearIdleTimer(c);
    c.idleTimer = setTimeout(() => {
      if (this.owner !== c || c.units.length > 0 || c.closed) return;
      process.emitWarning(`embedded PostgreSQL: terminating connection #${c.id}, idle in an open transaction for ${this.idleInTransactionTimeoutMs} ms`);
      c.send(fatal('25P03', 'terminating connection due to idle-in-transaction timeout'));
      c.socket.end();
      this.closed(c);
    }, this.idleInTransactionTimeoutMs);
    c.idleTimer.unref();
  }

  private clearIdleTimer(c: Connection): void {
    if (c.idleTimer) clearTimeout(c.idleTimer);
    c.idleTimer = undefined;
  }
}
