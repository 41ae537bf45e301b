// `fasit explain <tenant>/<env> <feature>`: why a feature is or is not deployed in an environment, and what happens
// next — the catalog API's explain answer (GET …/features/{f}/explain), printed for a person or as the raw JSON.
import type { Explanation } from '@fasit/catalog-api';
import { readConfig, type Spec } from '@fasit/config';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliCommand, type CliIo } from '../cli-command.js';
import { parseOptions } from './command-options.js';

/** The API could not answer (unreachable, refused, not found): not the same as "not deployed" (1). */
export const EXIT_API_ERROR = 3;

const apiSpec = {
  api: { env: 'FASIT_API', type: 'optional-string', doc: 'the catalog API, e.g. https://fasit.example.org (--api)' },
  token: { env: 'FASIT_TOKEN', type: 'optional-string', doc: 'a bearer token for the catalog API (--token)' },
} as const satisfies Spec;

const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export const explainCommand: CliCommand = {
  group: 'explain',
  summary: 'Why a feature is or is not deployed in an environment, and what happens next. Exits 1 when not deployed.',
  usage: '[--api URL] [--token TOKEN] [--json] <tenant>/<environment> <feature>',
  details: [
    '',
    'Asks the catalog API (GET /api/v1/tenants/{t}/environments/{e}/features/{f}/explain) and prints its answer:',
    'the matching assignments and why each lost to the winner, the kind check, dependencies, the disabled flag,',
    "the agent's health, the desired state against the last deploy, the last result with its log, the next retry.",
    '',
    '  --api URL      the catalog API (default: $FASIT_API)',
    '  --token TOKEN  a bearer token (default: $FASIT_TOKEN; none in local development mode)',
    '  --json         print the API answer as it came (JSON), nothing else',
    '',
    'Exit codes: 0 deployed, 1 not deployed (any other state), 2 wrong command line, 3 the API did not answer it.',
  ],
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const parsed = parseOptions(args, { api: {}, token: {}, json: { flag: true } });
    const usage = (message: string) => {
      io.stderr(`fasit explain: ${message}`);
      io.stderr(`usage: fasit explain ${explainCommand.usage}`);
      return EXIT_USAGE;
    };
    if (!parsed.ok) return usage(parsed.message);
    const [where, feature, ...extra] = parsed.positional;
    if (where === undefined || feature === undefined || extra.length > 0) return usage('needs <tenant>/<environment> and <feature>');
    const [tenant, environment, ...more] = where.split('/');
    if (tenant === undefined || environment === undefined || more.length > 0 || !NAME.test(tenant) || !NAME.test(environment)) {
      return usage(`"${where}" is not <tenant>/<environment> (lowercase letters, digits and dashes)`);
    }
    if (!NAME.test(feature)) return usage(`"${feature}" is not a feature name (lowercase letters, digits and dashes)`);
    const env = readConfig(apiSpec, io.env);
    const api = parsed.options.get('api') ?? env.api;
    const token = parsed.options.get('token') ?? env.token;
    if (api === undefined) return usage('no API: give --api URL or set FASIT_API');
    let base: URL;
    try {
      base = new URL(api);
      if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new Error('not http(s)');
    } catch {
      return usage(`--api: "${api}" is not an http(s) URL`);
    }

    const url = new URL(`${base.pathname.replace(/\/$/, '')}/api/v1/tenants/${tenant}/environments/${environment}/features/${feature}/explain`, base);
    let status: number;
    let text: string;
    try {
      const res = await fetch(url, { headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) } });
      status = res.status;
      text = await res.text();
    } catch (e) {
      // fetch says "fetch failed"; its cause says why (ECONNREFUSED, ENOTFOUND, a TLS error).
      const cause = (e as { cause?: { code?: unknown; message?: unknown } }).cause;
      const why = [cause?.code, cause?.message].filter((p): p is string => typeof p === 'string' && p !== '').join(' ') || String(e);
      io.stderr(`fasit explain: ${url.origin} did not answer: ${why}`);
      return EXIT_API_ERROR;
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      io.stderr(`fasit explain: ${url.origin} answered ${status} with something that is not JSON: ${text.slice(0, 200)}`);
      return EXIT_API_ERROR;
    }
    if (status !== 200) {
      const problem = body as { code?: unknown; message?: unknown };
      io.stderr(
        `fasit explain: the API answered ${status}${typeof problem.code === 'string' ? ` ${problem.code}` : ''}: ${typeof problem.message === 'string' ? problem.message : text.slice(0, 200)}`,
      );
      return EXIT_API_ERROR;
    }
    const x = body as Explanation;
    if (parsed.options.has('json')) io.stdout(JSON.stringify(x, null, 2));
    else for (const line of formatExplanation(x)) io.stdout(line);
    return x.state === 'DEPLOYED' ? EXIT_OK : EXIT_FAILURE;
  },
};

/** The explain answer for a person: what it is, what happens next, then each fact that decides it. */
export function formatExplanation(x: Explanation): string[] {
  const target = (t: Record<string, string>) =>
    Object.entries(t)
      .map(([k, v]) => `${k}=${v}`)
      .join(',') || '(everything)';
  const lines = [`${x.tenant}/${x.environment} ${x.feature}: ${x.state} — ${x.stateMessage}`, `next: ${x.next.action} — ${x.next.message}`, ''];
  if (x.assignments.length === 0) lines.push('assignments: none targets this environment');
  else {
    lines.push('assignments:');
    for (const a of x.assignments) {
      lines.push(
        `  ${a.outcome === 'winner' ? 'winner' : 'lost  '} ${a.version} ${a.id} (target ${target(a.target)})${a.outcome === 'winner' ? '' : ` — ${a.outcome}`}: ${a.reason}${a.conflict ? ' [conflict]' : ''}`,
      );
    }
  }
  if (x.kind)
    lines.push(`kind: environment ${x.kind.environment}, feature for ${x.kind.feature.join(', ') || '(none)'} — ${x.kind.ok ? 'ok' : 'NOT ALLOWED here'}`);
  if (x.dependencies.length === 0) lines.push('dependencies: none');
  else {
    lines.push(`dependencies: ${x.missingDependencies.length === 0 ? 'met' : `missing ${x.missingDependencies.join(', ')}`}`);
    for (const d of x.dependencies) {
      lines.push(
        `  ${d.feature} (${d.rule}): ${d.deployed ? `deployed ${d.version ?? ''}`.trim() : d.assigned ? `assigned, ${d.status ?? 'never deployed'}` : 'not assigned here'}`,
      );
    }
  }
  lines.push(x.disabled ? `disabled: yes — ${x.disabled.reason} (by ${x.disabled.by} at ${x.disabled.at})` : 'disabled: no');
  lines.push(`reconcile: ${x.reconcile ? 'on' : 'OFF for this environment'}`);
  const window = `${Math.round(x.agent.windowMs / 1000)}s`;
  lines.push(
    x.agent.health === 'never-seen'
      ? `agent: never seen (no heartbeat from naisd in this environment yet)`
      : `agent: ${x.agent.health} (last report ${x.agent.reportedAt ?? '?'}, naisd ${x.agent.version ?? '?'}; silent for over ${window} is unhealthy)`,
  );
  const d = x.desired;
  lines.push(
    `desired: ${d.version ?? '-'} hash ${short(d.hash)}${d.decision ? ` (decided ${d.decision.action} at ${d.decision.at}: ${d.decision.message})` : ' (not decided yet)'}`,
  );
  const l = x.lastDeploy;
  if (!l) lines.push('last deploy: none');
  else {
    lines.push(
      `last deploy: ${l.status} ${l.version} hash ${short(l.hash)} at ${l.at} (diid ${l.diid}) — ${l.sameHash ? 'the desired state' : 'NOT the desired state'}`,
    );
    if (l.error) lines.push(`  error: ${l.error}`);
    if (l.log.length > 0) {
      lines.push(`  log (last ${l.log.length} lines):`);
      for (const entry of l.log) lines.push(`    ${entry.time} ${entry.msg}`);
    }
  }
  const r = x.retry;
  lines.push(
    `retries: ${r.failures} failed of at most ${r.maxAttempts}${r.exhausted ? ' — exhausted: nothing more until something changes or an operator redeploys' : r.nextAt ? `; next at ${r.nextAt}` : ''}`,
  );
  const drift = x.drift;
  lines.push(
    drift
      ? `drift: ${drift.kind} — ${drift.message} (since ${drift.since}; policy ${drift.policy}${drift.corrections > 0 ? `, corrected ${drift.corrections} time(s)` : ''})`
      : 'drift: none seen (or the agent has no real inventory)',
  );
  return lines;
}

function short(hash: string | null): string {
  return hash === null ? '-' : hash.slice(0, 12);
}
