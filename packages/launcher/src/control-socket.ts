// The running start command's control socket (`<run dir>/control.sock`, mode 0600): `scripts/start --agent t/e`
// asks the running platform to start a naisd for an environment created by hand. The platform owns every
// process it runs, so the agent logs where the others do and stops with them.
import { chmodSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';

export interface AgentRequest {
  tenant: string;
  environment: string;
}

export type ControlAnswer = { ok: true; message: string } | { ok: false; message: string };

const MAX_BODY = 4096;

export async function serveControlSocket(path: string, startAgent: (a: AgentRequest) => Promise<string>): Promise<Server> {
  rmSync(path, { force: true });
  const server = createServer((req, res) => {
    const answer = (status: number, body: ControlAnswer) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'POST' || req.url !== '/agents') return answer(404, { ok: false, message: 'only POST /agents' });
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > MAX_BODY) req.destroy();
    });
    req.on('end', () => {
      let agent: AgentRequest;
      try {
        agent = parseAgentRequest(JSON.parse(text));
      } catch (e) {
        return answer(400, { ok: false, message: (e as Error).message });
      }
      startAgent(agent).then(
        (message) => answer(200, { ok: true, message }),
        (e: unknown) => answer(409, { ok: false, message: e instanceof Error ? e.message : String(e) }),
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  chmodSync(path, 0o600);
  return server;
}

/** A wrong `--agent` argument (or request body): the message says what is expected. */
export class AgentSpecError extends Error {
  override readonly name = 'AgentSpecError';
}

/** `tenant/environment` (each a DNS label) → the request; anything else is refused with the field named. */
export function parseAgentSpec(spec: string): AgentRequest {
  const m = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)\/([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)$/.exec(spec);
  if (!m) throw new AgentSpecError(`--agent "${spec}": expected <tenant>/<environment>, each a DNS label (lowercase letters, digits, "-")`);
  return { tenant: m[1]!, environment: m[3]! };
}

function parseAgentRequest(body: unknown): AgentRequest {
  if (typeof body !== 'object' || body === null) throw new Error('body: expected {"tenant", "environment"}');
  const { tenant, environment } = body as Record<string, unknown>;
  if (typeof tenant !== 'string' || typeof environment !== 'string') throw new Error('body: expected {"tenant", "environment"} strings');
  return parseAgentSpec(`${tenant}/${environment}`);
}

/** Asks the platform behind `path` to start an agent; the answer, or a failure to reach it (`ok: false`). */
export function requestAgent(path: string, agent: AgentRequest, timeoutMs = 150_000): Promise<ControlAnswer & { reached: boolean }> {
  return new Promise((resolve) => {
    const req = request({ socketPath: path, path: '/agents', method: 'POST', headers: { 'content-type': 'application/json' }, timeout: timeoutMs }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        try {
          resolve({ ...(JSON.parse(text) as ControlAnswer), reached: true });
        } catch {
          resolve({ ok: false, message: `unexpected answer: ${text.slice(0, 200)}`, reached: true });
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000}s`)));
    req.on('error', (e) => resolve({ ok: false, message: e.message, reached: false }));
    req.end(JSON.stringify(agent));
  });
}
