// The start command's guards, with real files, processes and sockets: the instance lock, the port check, the
// --agent argument.
import { afterEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentSpecError, parseAgentSpec } from './control-socket.js';
import { InstanceLockError, takeInstanceLock } from './instance-lock.js';
import { checkPortsFree, portOwner, PortTakenError } from './port-check.js';

const dir = mkdtempSync(join(tmpdir(), 'fasit-guards-'));
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('takeInstanceLock', () => {
  it('takes a free lock with this PID, refuses while a live start command holds it (naming its PID), and takes over a dead one', () => {
    const file = join(dir, 'start.pid');
    const lock = takeInstanceLock(file, () => true);
    expect(readFileSync(file, 'utf8')).toBe(`${process.pid}\n`);
    expect(() => takeInstanceLock(file, (cmd) => cmd.includes('node'))).toThrow(
      new InstanceLockError(
        `another Fasit start command is running (PID ${process.pid}: ${readFileSync(`/proc/${process.pid}/cmdline`, 'utf8').replace(/\0+$/, '').split('\0').join(' ')}); stop it first (Ctrl-C in its terminal, or kill ${process.pid})`,
        process.pid,
      ),
    );
    lock.release();
    expect(existsSync(file)).toBe(false);

    writeFileSync(file, '999999999\n'); // no such process
    const taken = takeInstanceLock(file, () => true);
    expect(readFileSync(file, 'utf8')).toBe(`${process.pid}\n`);
    taken.release();
  });

  it('takes over a lock whose PID is alive but is not a start command (a reused PID)', () => {
    const file = join(dir, 'reused.pid');
    writeFileSync(file, `${process.pid}\n`);
    takeInstanceLock(file, () => false).release();
    expect(existsSync(file)).toBe(false);
  });
});

describe('checkPortsFree', () => {
  it('passes for free ports and names the process that holds a taken one', async () => {
    const server: Server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => server.close());
    const port = (server.address() as { port: number }).port;
    expect(portOwner(port)).toBe(process.pid);
    await expect(checkPortsFree([{ port, host: '127.0.0.1', variable: 'FASIT_HTTP_PORT' }])).rejects.toThrow(PortTakenError);
    await expect(checkPortsFree([{ port, host: '127.0.0.1', variable: 'FASIT_HTTP_PORT' }])).rejects.toThrow(
      `port 127.0.0.1:${port} (FASIT_HTTP_PORT) is in use by PID ${process.pid} (`,
    );
    server.close();
    await new Promise((r) => setTimeout(r, 50));
    await expect(checkPortsFree([{ port, host: '127.0.0.1', variable: 'FASIT_HTTP_PORT' }])).resolves.toBeUndefined();
  });

  it('names another process that holds the port', async () => {
    const child = spawn(process.execPath, ['-e', "require('net').createServer().listen(0, '127.0.0.1', function () { console.log(this.address().port) })"], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    cleanups.push(() => child.kill('SIGKILL'));
    const port = await new Promise<number>((r) => child.stdout.once('data', (d: Buffer) => r(Number(d.toString().trim()))));
    await expect(checkPortsFree([{ port, host: '127.0.0.1', variable: 'FASIT_GRPC_PORT' }])).rejects.toThrow(
      `port 127.0.0.1:${port} (FASIT_GRPC_PORT) is in use by PID ${child.pid} (${process.execPath} -e `,
    );
  });
});

describe('parseAgentSpec', () => {
  it.each([
    ['acme/dev', { tenant: 'acme', environment: 'dev' }],
    ['a-1/prod-2', { tenant: 'a-1', environment: 'prod-2' }],
  ])('%s → %j', (spec, expected) => expect(parseAgentSpec(spec)).toEqual(expected));

  it.each(['acme', 'Acme/dev', 'acme/dev/x', '/dev', 'acme/', 'acme/-dev', 'acme/dev;rm'])('refuses %j', (spec) => {
    expect(() => parseAgentSpec(spec)).toThrow(
      new AgentSpecError(`--agent "${spec}": expected <tenant>/<environment>, each a DNS label (lowercase letters, digits, "-")`),
    );
  });
});

process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
