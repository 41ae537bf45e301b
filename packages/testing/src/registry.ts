import { execFileSync, spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * `host:port` of the shared local OCI registry started by `scripts/services.sh` (env `OCI_REGISTRY`).
 * Throws with a hint when the services have not been started.
 */
export function ociRegistry(): string {
  const value = process.env.OCI_REGISTRY;
  if (!value) {
    throw new Error('OCI_REGISTRY is not set: run `bash scripts/services.sh start` and `source "$(bash scripts/services.sh dir)/env"`');
  }
  return value;
}

/**
 * `host:port` of the Pub/Sub emulator started by `scripts/services.sh` (env `PUBSUB_EMULATOR_HOST`).
 * Throws with a hint when the services have not been started.
 */
export function pubsubEmulatorHost(): string {
  const value = process.env.PUBSUB_EMULATOR_HOST;
  if (!value) {
    throw new Error('PUBSUB_EMULATOR_HOST is not set: run `bash scripts/services.sh start` and `source "$(bash scripts/services.sh dir)/env"`');
  }
  return value;
}

/** A port that was free on 127.0.0.1 a moment ago (the OS picked it). */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

const BCRYPT_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A bcrypt hash of `password` for an htpasswd file (docker-registry accepts only bcrypt). Uses
 * `htpasswd -B` when apache2-utils is installed, otherwise the system crypt(3) through perl (libxcrypt on
 * Debian supports `$2b$`), so no npm dependency is needed.
 */
export function bcryptHash(password: string, cost = 5): string {
  try {
    const line = execFileSync('htpasswd', ['-nbB', '-C', String(cost), 'user', password], { encoding: 'utf8' }).trim();
    return line.slice(line.indexOf(':') + 1);
  } catch {
    // apache2-utils missing: fall through to crypt(3)
  }
  let salt = '';
  for (let i = 0; i < 21; i++) salt += BCRYPT_ALPHABET[randomInt(BCRYPT_ALPHABET.length)];
  salt += '.Oeu'[randomInt(4)]; // the 22nd character carries only 2 bits: keep it canonical
  const setting = `$2b$${String(cost).padStart(2, '0')}$${salt}`;
  const hash = execFileSync('perl', ['-e', 'print crypt($ARGV[0], $ARGV[1])', password, setting], { encoding: 'utf8' });
  if (!hash.startsWith(setting.slice(0, 7)) || hash.length !== 60) {
    throw new Error(`this system's crypt(3) cannot make bcrypt hashes (got "${hash}"); install apache2-utils`);
  }
  return hash;
}

export interface RegistryUser {
  username: string;
  password: string;
}

export interface RegistryTokenAuth {
  /** URL of the token service the registry sends clients to. */
  realm: string;
  service: string;
  issuer: string;
  /** PEM file with the certificate(s) whose keys sign the tokens. */
  rootCertBundle: string;
}

export interface StartRegistryOptions {
  /** Require HTTP basic auth with these users (htpasswd, bcrypt). */
  users?: RegistryUser[];
  /** Require bearer tokens from a token service (docker-registry `auth.token`). */
  tokenAuth?: RegistryTokenAuth;
  /** Port on 127.0.0.1 (default: a free one). */
  port?: number;
}

export interface LocalRegistry {
  /** `127.0.0.1:<port>` */
  host: string;
  port: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** The registry's log file (worth printing when a test fails). */
  logPath: string;
  stop(): Promise<void>;
}

/**
 * Starts a private `docker-registry` process on 127.0.0.1 (plain HTTP, its own storage in a temporary folder),
 * optionally with basic or token auth. Stop it with `stop()` (kills that process only, removes its folder).
 */
export async function startRegistry(options: StartRegistryOptions = {}): Promise<LocalRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'fasit-registry-'));
  const port = options.port ?? (await freePort());
  const logPath = join(dir, 'registry.log');
  const lines = [
    'version: 0.1',
    'log: { level: warn }',
    `storage: { filesystem: { rootdirectory: ${JSON.stringify(join(dir, 'data'))} }, delete: { enabled: true } }`,
    `http: { addr: "127.0.0.1:${port}", secret: "fasit-test-${randomInt(1e9)}" }`,
  ];
  if (options.users && options.tokenAuth) throw new Error('choose basic users or token auth, not both');
  if (options.users) {
    const htpasswd = options.users.map((u) => `${u.username}:${bcryptHash(u.password)}`).join('\n');
    await writeFile(join(dir, 'htpasswd'), `${htpasswd}\n`);
    lines.push(`auth: { htpasswd: { realm: fasit-test, path: ${JSON.stringify(join(dir, 'htpasswd'))} } }`);
  }
  if (options.tokenAuth) {
    const t = options.tokenAuth;
    lines.push(
      `auth: { token: { realm: ${JSON.stringify(t.realm)}, service: ${JSON.stringify(t.service)}, issuer: ${JSON.stringify(t.issuer)}, rootcertbundle: ${JSON.stringify(t.rootCertBundle)} } }`,
    );
  }
  const configPath = join(dir, 'config.yml');
  await writeFile(configPath, `${lines.join('\n')}\n`);

  const log = await open(logPath, 'a');
  const child = spawn('docker-registry', ['serve', configPath], { stdio: ['ignore', log.fd, log.fd] });
  await log.close();
  let exited = false;
  const exit = new Promise<void>((resolveExit) => {
    child.once('exit', () => {
      exited = true;
      resolveExit();
    });
    child.once('error', () => {
      exited = true;
      resolveExit();
    });
  });
  const stop = async (): Promise<void> => {
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exit;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (exited) {
      const text = await readFile(logPath, 'utf8').catch(() => '');
      await stop();
      throw new Error(`docker-registry exited during start (is it installed? scripts/services.sh installs it):\n${text}`);
    }
    try {
      const response = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1_000) });
      await response.body?.cancel();
      if (response.status === 200 || response.status === 401) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`docker-registry did not answer on ${url} within 20 s`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { host: `127.0.0.1:${port}`, port, url, logPath, stop };
}
