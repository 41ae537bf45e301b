// One feature in one environment (reads the reconciler's and dispatcher's tables, created here the way those
// services create them), the manual operations, releases, environment and tenant updates and deletes, and audit.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decisionContext, SecretBox } from '@fasit/domain';
import { DEVELOPMENT_KEYS } from '@fasit/config';
import { pushChart, type PushedChart } from '@fasit/testing';
import { createForeignSchemas, startHarness, unique, type Harness, type Obj, type Rows } from './harness.js';

let h: Harness;
let chart: PushedChart;
const tenant = unique('envf');
let envId: string;
let assignmentId: string;
const E = () => `/api/v1/tenants/${tenant}/environments/dev`;
const F = () => `${E()}/features/${chart.name}`;

beforeAll(async () => {
  h = await startHarness();
  chart = await pushChart('demo-feature', { name: unique('demo'), version: '1.0.0' });
  await h.api('POST', '/api/v1/tenants', { name: tenant });
  envId = (await h.api<{ id: string }>('POST', `/api/v1/tenants/${tenant}/environments`, { name: 'dev', kind: 'tenant', labels: { team: 'a' } })).body.id;
  assignmentId = (await h.api<{ id: string }>('POST', '/api/v1/assignments', { chart: chart.ref, version: '1.0.0', target: { tenant } })).body.id;
});

afterAll(async () => {
  await h?.close();
});

describe('before the reconciler and dispatcher have migrated', () => {
  it('answers with the catalog facts and no history (their tables read as empty)', async () => {
    const r = await h.api(`GET`, F());
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      feature: chart.name,
      state: 'UNKNOWN',
      desired: { assignmentId, version: '1.0.0' },
      current: null,
      rendered: null,
      lastDecision: null,
      deploys: [],
    });
    const rel = await h.api('GET', `${E()}/releases`);
    expect(rel.body).toMatchObject({ agent: null, releases: [] });
  });
});

describe('with decisions, deploys and logs', () => {
  const diid1 = randomUUID();
  const diid2 = randomUUID();

  beforeAll(async () => {
    await createForeignSchemas(h);
    // As the reconciler writes them: the values with secrets masked, and the full values sealed for this pair.
    const values = { image: { tag: '1.0.0' }, replicas: 2, auth: { token: 'tok-SECRET-1' }, clusterName: 'dev', fasit: { tenant: { name: tenant } } };
    const masked = { ...values, auth: { token: '*****' } };
    await h.sql.query(
      `INSERT INTO reconciler.decisions (environment_id, feature, assignment_id, feature_version, action, message, hash, "values", sealed_values, provenance) VALUES ($1, $2, $3, '1.0.0', 'deploy', 'desired state changed', 'h1', $4, $6, $5)`,
      [
        envId,
        chart.name,
        assignmentId,
        JSON.stringify(masked),
        JSON.stringify({ 'auth.token': { source: 'env-config', secret: true }, clusterName: { source: 'computed', secret: false } }),
        SecretBox.fromConfig(DEVELOPMENT_KEYS.FASIT_SECRET_KEYS).seal(values, decisionContext(envId, chart.name)),
      ],
    );
    await h.sql.query(
      `INSERT INTO reconciler.decisions (environment_id, feature, assignment_id, feature_version, action, message, hash) VALUES ($1, $2, $3, '1.0.0', 'unchanged', 'up to date', 'h1')`,
      [envId, chart.name, assignmentId],
    );
    // Another feature's deploys first, so this feature's row ids cross from one digit to two (ordered as numbers).
    for (let i = 0; i < 7; i++) {
      await h.sql.query(
        `INSERT INTO dispatcher.deploy_statuses (diid, environment_id, feature, assignment_id, feature_version, status, hash) VALUES ($1, $2, 'other', $3, '1.0.0', 'sent', 'x')`,
        [randomUUID(), envId, assignmentId],
      );
    }
    for (const [diid, status, error] of [
      [diid1, 'sent', null],
      [diid1, 'failed', 'timed out'],
      [diid2, 'sent', null],
      [diid2, 'installing', null],
      [diid2, 'deployed', null],
    ] as const) {
      await h.sql.query(
        `INSERT INTO dispatcher.deploy_statuses (diid, environment_id, feature, assignment_id, feature_version, status, hash, error) VALUES ($1, $2, $3, $4, '1.0.0', $5, 'h1', $6)`,
        [diid, envId, chart.name, assignmentId, status, error],
      );
    }
    // Lines of one flush share a timestamp: their order is the insertion order.
    await h.sql.query(
      `INSERT INTO dispatcher.deploy_log_lines (diid, time, msg, kind) VALUES ($1, now() - interval '2 s', 'Release "demo" does not exist. Installing it now.', 'helm'),
       ($1, now(), 'NAME: demo', 'helm'), ($1, now(), 'STATUS: deployed', 'helm'), ($1, now(), 'REVISION: 1', 'helm'), ($2, now(), 'context deadline exceeded', 'helm')`,
      [diid2, diid1],
    );
    await h.sql.query(
      `INSERT INTO dispatcher.agent_health (environment_id, tenant, environment, agent_version, reported_at) VALUES ($1, $2, 'dev', '1.2.3', now())`,
      [envId, tenant],
    );
    await h.sql.query(
      `INSERT INTO dispatcher.releases (environment_id, name, chart_version, status, revision, last_deployed, reported_at) VALUES ($1, 'naisd', '1.2.3', 'deployed', 4, now(), now()), ($1, $2, '1.0.0', 'deployed', 1, now(), now()), ($1, 'leftover', '0.0.1', 'deployed', 9, NULL, now())`,
      [envId, chart.name],
    );
  });

  it('shows state, versions, last decision and the deploy history with log lines; secrets masked', async () => {
    const r = await h.api<
      Obj & {
        rendered: { values: { auth: { token: string }; clusterName: string }; masked: string[]; revealed: boolean };
        deploys: { diid: string; status: string; logs: { msg: string }[]; history: unknown[] }[];
      }
    >('GET', F());
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      state: 'DEPLOYED',
      current: { version: '1.0.0' },
      lastDecision: { action: 'unchanged', message: 'up to date', hash: 'h1' },
    });
    expect(r.body.rendered.values.auth.token).toBe('*****');
    expect(r.body.rendered.values.clusterName).toBe('dev');
    expect(Object.keys(r.body.rendered.values)).toEqual(['auth', 'clusterName', 'fasit', 'image', 'replicas']);
    expect(r.body.rendered.masked).toEqual(['auth.token']);
    expect(r.body.rendered.revealed).toBe(false);
    expect(r.body.deploys.map((d) => [d.diid, d.status])).toEqual([
      [diid2, 'deployed'],
      [diid1, 'failed'],
    ]);
    expect(r.body.deploys[0]!.history).toHaveLength(3);
    expect(r.body.deploys[0]!.logs.map((l) => l.msg)).toEqual([
      'Release "demo" does not exist. Installing it now.',
      'NAME: demo',
      'STATUS: deployed',
      'REVISION: 1',
    ]);
    expect(r.body.deploys[1]!.logs.map((l) => l.msg)).toEqual(['context deadline exceeded']);
    expect(JSON.stringify(r.body)).not.toContain('tok-SECRET-1');
  });

  it('lists the features of the environment with their state', async () => {
    const r = await h.api<Rows>('GET', `${E()}/features`);
    expect(r.body).toEqual([
      {
        feature: chart.name,
        state: 'DEPLOYED',
        message: 'deployed',
        desiredVersion: '1.0.0',
        assignmentId,
        lastDeployedVersion: '1.0.0',
        disabledReason: null,
      },
    ]);
  });

  it('reveals the rendered values on request and audits it', async () => {
    const r = await h.api<{ rendered: { values: { auth: { token: string } }; revealed: boolean } }>('GET', `${F()}?reveal=true`);
    expect(r.body.rendered.values.auth.token).toBe('tok-SECRET-1');
    expect(Object.keys(r.body.rendered.values)).toEqual(['auth', 'clusterName', 'fasit', 'image', 'replicas']);
    expect(r.body.rendered.revealed).toBe(true);
    const audit = await h.api<Rows>('GET', `/api/v1/audit?object=rendered_values&feature=${chart.name}`);
    expect(audit.body[0]).toMatchObject({ action: 'revealed', objectId: `${envId}/${chart.name}`, metadata: { keys: ['auth.token'] } });
    expect(JSON.stringify(audit.body)).not.toContain('tok-SECRET-1');
  });

  it('lists the releases with the agent and orphans flagged', async () => {
    const r = await h.api<{ agent: Obj; releases: Rows }>('GET', `${E()}/releases`);
    expect(r.body.agent).toMatchObject({ version: '1.2.3' });
    expect(r.body.releases.map((x) => [x['name'], x['agent'], x['orphan'], x['desiredVersion']])).toEqual([
      [chart.name, false, false, '1.0.0'],
      ['leftover', false, true, null],
      ['naisd', true, false, null],
    ]);
  });

  it('asks for an uninstall (audited, with a diid) but never of the agent itself', async () => {
    const ok = await h.api<{ diid: string }>('POST', `${E()}/releases/leftover/uninstall`);
    expect(ok.status).toBe(202);
    const ev = await h.waitForEvent('catalog.uninstall.requested.v1', (p) => p['release'] === 'leftover');
    expect(ev.payload).toMatchObject({ diid: ok.body.diid, environmentId: envId, tenant, environment: 'dev', requestedBy: 'local-dev' });
    for (const agent of ['naisd', 'fasitd']) {
      const r = await h.api('POST', `${E()}/releases/${agent}/uninstall`);
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ code: 'INVALID_INPUT', field: 'name' });
    }
    expect(h.events.filter((e) => e.topic === 'catalog.uninstall.requested.v1')).toHaveLength(1);
    const audit = await h.api<Rows>('GET', `/api/v1/audit?environment=${tenant}/dev&object=release`);
    expect(audit.body).toHaveLength(1);
    expect(audit.body[0]).toMatchObject({ action: 'uninstall', metadata: { diid: ok.body.diid } });
  });

  it('refuses to delete an environment that still runs releases, unless forced', async () => {
    const r = await h.api('DELETE', E());
    expect(r.status).toBe(409);
    expect(r.body.message).toMatch(/leftover/);
    expect((await h.api('GET', E())).status).toBe(200);
  });
});

describe('disable, enable, redeploy', () => {
  it('requires a reason to disable', async () => {
    for (const body of [{}, { reason: '' }, { reason: '   ' }, { reason: 'x'.repeat(1001) }]) {
      const r = await h.api('POST', `${F()}/disable`, body);
      expect(r.status).toBe(400);
      expect(r.body.field).toBe('reason');
    }
  });

  it('disables with a reason, emits the toggle, and then refuses a redeploy', async () => {
    const r = await h.api('POST', `${F()}/disable`, { reason: 'broken upstream, see INC-42' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ state: 'DISABLED', disabled: { reason: 'broken upstream, see INC-42', by: 'local-dev' } });
    await h.waitForEvent('catalog.feature-toggle.changed.v1', (p) => p['disabled'] === true && p['feature'] === chart.name);
    const again = await h.api('POST', `${F()}/disable`, { reason: 'again' });
    expect(again.body).toMatchObject({ disabled: { reason: 'broken upstream, see INC-42' } });
    expect(h.events.filter((e) => e.topic === 'catalog.feature-toggle.changed.v1')).toHaveLength(1);
    const redeploy = await h.api('POST', `${F()}/redeploy`);
    expect(redeploy.status).toBe(409);
    const status = await h.api('GET', `/api/v1/assignments/${assignmentId}/status`);
    expect(status.body).toMatchObject({ state: 'DISABLED' });
    const audit = await h.api<Rows>('GET', `/api/v1/audit?feature=${chart.name}&object=disabled_features`);
    expect(audit.body[0]).toMatchObject({ action: 'disabled', metadata: { reason: 'broken upstream, see INC-42' } });
  });

  it('enables again and redeploys, emitting redeploy.requested', async () => {
    const r = await h.api('POST', `${F()}/enable`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ disabled: null });
    await h.waitForEvent('catalog.feature-toggle.changed.v1', (p) => p['disabled'] === false);
    const redeploy = await h.api('POST', `${F()}/redeploy`);
    expect(redeploy.status).toBe(202);
    const ev = await h.waitForEvent('catalog.redeploy.requested.v1');
    expect(ev.payload).toMatchObject({ environmentId: envId, feature: chart.name, requestedBy: 'local-dev' });
  });

  it('404s for a feature the catalog does not know', async () => {
    expect((await h.api('GET', `${E()}/features/nope`)).status).toBe(404);
    expect((await h.api('POST', `${E()}/features/nope/disable`, { reason: 'x' })).status).toBe(404);
  });
});

describe('environment updates', () => {
  it('merges labels by default and replaces them on request; system labels stay', async () => {
    const merged = await h.api('PATCH', E(), { labels: { zone: 'west' } });
    expect(merged.status).toBe(200);
    expect(merged.body['labels']).toEqual({ team: 'a', zone: 'west', name: 'dev', tenant, kind: 'tenant' });
    const ev = await h.waitForEvent('catalog.environment.changed.v1', (p) => (p['labels'] as Obj)['zone'] === 'west');
    expect(ev.payload).toMatchObject({ environmentId: envId, deleted: false });
    const replaced = await h.api('PATCH', E(), { labels: { zone: 'east' }, labelsMode: 'replace' });
    expect(replaced.body['labels']).toEqual({ zone: 'east', name: 'dev', tenant, kind: 'tenant' });
    const bad = await h.api('PATCH', E(), { labels: { tenant: 'other' } });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('labels.tenant');
    const audit = await h.api<Rows>('GET', `/api/v1/audit?object=environment&environment=${envId}`);
    expect(audit.body[0]).toMatchObject({ action: 'updated', before: { labels: { team: 'a', zone: 'west' } }, after: { labels: { zone: 'east' } } });
  });

  it('sets and clears the OIDC issuer and discovery URL, refusing what is not an http(s) URL', async () => {
    const set = await h.api('PATCH', E(), {
      oidcIssuer: 'https://k8s.example/issuer',
      oidcDiscoveryUrl: 'https://k8s.example/.well-known/openid-configuration',
    });
    expect(set.body).toMatchObject({ oidcIssuer: 'https://k8s.example/issuer', oidcDiscoveryUrl: 'https://k8s.example/.well-known/openid-configuration' });
    expect((await h.api('PATCH', E(), { oidcIssuer: 'not a url' })).body).toMatchObject({ code: 'INVALID_INPUT', field: 'oidcIssuer' });
    expect((await h.api('PATCH', E(), { oidcIssuer: 'https://user:pw@k8s.example' })).body).toMatchObject({ field: 'oidcIssuer' });
    expect((await h.api('PATCH', E(), { oidcIssuer: null })).body).toMatchObject({
      oidcIssuer: null,
      oidcDiscoveryUrl: 'https://k8s.example/.well-known/openid-configuration',
    });
  });

  it('turns reconciliation off and on; off shows every feature DISABLED', async () => {
    const off = await h.api('PATCH', E(), { reconcile: false });
    expect(off.body['reconcile']).toBe(false);
    expect((await h.api('GET', F())).body).toMatchObject({ state: 'DISABLED', reconcile: false, message: 'reconciliation is off for this environment' });
    expect((await h.api('POST', `${F()}/redeploy`)).status).toBe(409);
    expect((await h.api('PATCH', E(), { reconcile: true })).body['reconcile']).toBe(true);
  });

  it('refuses an empty update, unknown fields and bad label syntax', async () => {
    expect((await h.api('PATCH', E(), {})).status).toBe(400);
    expect((await h.api('PATCH', E(), { colour: 'red' })).body).toMatchObject({ field: 'colour' });
    expect((await h.api('PATCH', E(), { labels: { 'bad key!': 'x' } })).body).toMatchObject({ code: 'INVALID_INPUT', field: 'labels.bad key!' });
    expect((await h.api('PATCH', E(), { labels: { ok: 'bad value!' } })).body).toMatchObject({ code: 'INVALID_INPUT', field: 'labels.ok' });
    expect((await h.api('PATCH', E(), { reconcile: 'yes' })).body).toMatchObject({ field: 'reconcile' });
  });
});

describe('deletes', () => {
  it('refuses to delete a tenant with environments; deletes the environment when forced, then the tenant', async () => {
    const refused = await h.api('DELETE', `/api/v1/tenants/${tenant}`);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/dev/);
    expect((await h.api('DELETE', `${E()}?force=true`)).status).toBe(204);
    await h.waitForEvent('catalog.environment.changed.v1', (p) => p['deleted'] === true);
    expect((await h.api('GET', E())).status).toBe(404);
    const values = await h.sql.query(`SELECT count(*)::int AS n FROM catalog.configs WHERE environment_id = $1`, [envId]);
    expect(values.rows[0]).toEqual({ n: 0 });
    expect((await h.api('PATCH', `/api/v1/tenants/${tenant}`, { description: 'bye' })).body).toMatchObject({ description: 'bye' });
    expect((await h.api('DELETE', `/api/v1/tenants/${tenant}`)).status).toBe(204);
    expect((await h.api('GET', `/api/v1/tenants/${tenant}`)).status).toBe(404);
  });

  it('keeps the audit log append-only', async () => {
    await expect(h.sql.query(`DELETE FROM catalog.audit`)).rejects.toThrow();
    const all = await h.api<Rows>('GET', `/api/v1/audit?limit=1000`);
    expect(all.body.some((a) => a['objectType'] === 'tenant' && a['action'] === 'deleted')).toBe(true);
    const paged = await h.api<Rows>('GET', `/api/v1/audit?limit=2&before=${String(all.body[0]!['id'])}`);
    expect(paged.body.map((a) => a['id'])).toEqual([all.body[1]!['id'], all.body[2]!['id']]);
    expect(paged.headers.get('link')).toBe(`</api/v1/audit?limit=2&before=${String(all.body[2]!['id'])}>; rel="next"`);
    expect((await h.api('GET', '/api/v1/audit?limit=0')).status).toBe(400);
    expect((await h.api('GET', '/api/v1/audit?q=50%25_off')).status).toBe(200);
  });
});
