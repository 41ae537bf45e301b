// Agent identity: each environment's agent holds its own key, derived from the control plane's secret and the
// environment's name, and signs every report with it. The dispatcher recomputes the key from the tenant and
// environment the report claims and refuses a report whose signature does not match, so one agent cannot
// report for another environment.
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export function deriveAgentKey(secret: string, tenant: string, environment: string): string {
  return createHmac('sha256', secret).update(`fasit-agent:${tenant}/${environment}`).digest('hex');
}

export function signReport(agentKey: string, body: string): string {
  return createHmac('sha256', agentKey).update(body).digest('hex');
}

export function verifyReport(agentKey: string, body: string, signature: string): boolean {
  const expected = Buffer.from(signReport(agentKey, body), 'hex');
  const got = Buffer.from(signature, 'hex');
  return got.length === expected.length && timingSafeEqual(got, expected);
}

// Instruction values travel sealed for the one agent they are meant for (AES-256-GCM under a key derived from
// that environment's agent key, bound to the instruction id): secrets in them are not readable on the bus, and
// an instruction replayed to another environment's agent does not open.
const sealKey = (agentKey: string): Buffer => createHash('sha256').update(`fasit-agent-values:${agentKey}`).digest();

export function sealForAgent(agentKey: string, diid: string, values: unknown): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', sealKey(agentKey), iv);
  c.setAAD(Buffer.from(diid));
  const data = Buffer.concat([c.update(JSON.stringify(values), 'utf8'), c.final()]);
  return ['v1', iv.toString('base64url'), c.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
}

/**
 * Opens values sealed for this agent, under its key or any of its keys (while the keys are rotated); throws when they
 * were sealed for another key or another instruction.
 */
export function openForAgent(agentKeys: string | readonly string[], diid: string, sealed: string): unknown {
  const [v, iv, tag, data] = sealed.split('.');
  if (v !== 'v1' || !iv || !tag || data === undefined) throw new Error('the sealed values are malformed');
  for (const agentKey of typeof agentKeys === 'string' ? [agentKeys] : agentKeys) {
    try {
      const d = createDecipheriv('aes-256-gcm', sealKey(agentKey), Buffer.from(iv, 'base64url'));
      d.setAAD(Buffer.from(diid));
      d.setAuthTag(Buffer.from(tag, 'base64url'));
      return JSON.parse(Buffer.concat([d.update(Buffer.from(data, 'base64url')), d.final()]).toString('utf8')) as unknown;
    } catch {
      // not this key
    }
  }
  throw new Error("the values were not sealed for this environment's agent key (or for this instruction)");
}
