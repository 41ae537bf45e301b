// Agent identity: each environment's agent holds its own key, derived from the control plane's secret and the
// environment's name, and signs every report with it. The dispatcher recomputes the key from the tenant and
// environment the report claims and refuses a report whose signature does not match, so one agent cannot
// report for another environment.
import { createHmac, timingSafeEqual } from 'node:crypto';

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
