// The control plane's monitoring, through the real helm 4: the ServiceMonitor (and the headless Service it scrapes)
// on every component's /metrics, the PrometheusRule with the six alerts of docs/operations.md, and the Grafana
// dashboard. Every metric an alert or a dashboard query names must be one the services export: the names are read
// from the services' own registries (@fasit/metrics, as each service builds it), not from a list kept here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { SERVICES, SERVICE_SCOPES, ServiceMetrics, metricCatalogue } from '@fasit/metrics';
import { FASIT_CHART, byKind, one, render, template, type Deployment, type K8sObject } from './helm.js';

const MINIMAL = { pubsub: { projectId: 'fasit-test-1' } };
const ALL_ON = {
  monitoring: { serviceMonitor: { enabled: true, labels: { release: 'kube-prometheus' } }, prometheusRule: { enabled: true }, dashboard: { enabled: true } },
};

/** Every series name the services export, from the registry each service builds (a histogram as its three series). */
async function exportedNames(): Promise<Set<string>> {
  const names = new Set<string>();
  for (const service of SERVICES) {
    for (const m of await new ServiceMetrics(service, { processMetrics: false }).registry.getMetricsAsJSON()) {
      // prom-client types `type` as an enum; at run time it is the type's name.
      if (String(m.type) === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${m.name}${suffix}`);
      else names.add(m.name);
    }
  }
  return names;
}

/** The metric names a PromQL expression reads (Fasit's own: `fasit_*`). */
const metricsIn = (expr: string): string[] => [...new Set(expr.match(/\bfasit_[a-z0-9_]+/g) ?? [])];

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  annotations: Record<string, string>;
}

describe('infra/helm/fasit monitoring (helm template, helm 4)', () => {
  it('renders none of it by default', () => {
    const objects = render(FASIT_CHART, [MINIMAL]);
    expect(objects.filter((o) => ['ServiceMonitor', 'PrometheusRule'].includes(o.kind))).toEqual([]);
    expect(objects.filter((o) => o.metadata.name.endsWith('-dashboard') || o.metadata.name.endsWith('-metrics'))).toEqual([]);
  });

  it('a ServiceMonitor scrapes /metrics on the http port of every component, through a headless Service selecting all four', () => {
    const objects = render(FASIT_CHART, [MINIMAL, ALL_ON]);
    const monitor = one<K8sObject & { spec: { selector: { matchLabels: Record<string, string> }; endpoints: { port: string; path: string }[] } }>(
      objects,
      'ServiceMonitor',
      'fasit',
    );
    expect(monitor.metadata.labels?.['release']).toBe('kube-prometheus');
    expect(monitor.spec.endpoints).toEqual([expect.objectContaining({ port: 'http', path: '/metrics' })]);
    const services = byKind<K8sObject & { spec: { selector: Record<string, string>; clusterIP?: string; ports: { name: string; targetPort: string }[] } }>(
      objects,
      'Service',
    );
    const scraped = services.filter((s) => Object.entries(monitor.spec.selector.matchLabels).every(([k, v]) => s.metadata.labels?.[k] === v));
    expect(scraped.map((s) => s.metadata.name)).toEqual(['fasit-metrics']);
    const svc = scraped[0]!;
    expect(svc.spec.clusterIP).toBe('None');
    expect(svc.spec.ports).toEqual([expect.objectContaining({ name: 'http', targetPort: 'http' })]);
    // Its selector takes the pods of every component, each of which names its container port "http".
    const deployments = byKind<Deployment>(objects, 'Deployment');
    expect(deployments).toHaveLength(4);
    for (const d of deployments) {
      const podLabels = d.spec.template.metadata?.labels ?? {};
      expect(Object.entries(svc.spec.selector).every(([k, v]) => podLabels[k] === v)).toBe(true);
      expect(d.spec.template.spec.containers[0]?.ports?.some((p) => p.name === 'http')).toBe(true);
    }
  });

  it('the PrometheusRule has the six alerts, each reading only metrics the services export and pointing at its runbook', async () => {
    const exported = await exportedNames();
    const rule = one<K8sObject & { spec: { groups: { name: string; rules: Rule[] }[] } }>(render(FASIT_CHART, [MINIMAL, ALL_ON]), 'PrometheusRule', 'fasit');
    const rules = rule.spec.groups.flatMap((g) => g.rules);
    expect(rules.map((r) => r.alert)).toEqual([
      'FasitOutboxBacklogGrowing',
      'FasitEventsDeadLettered',
      'FasitAgentsSilent',
      'FasitDeploysFailing',
      'FasitReconcilerSweepOverdue',
      'FasitDrift',
    ]);
    const runbook = readFileSync(join(FASIT_CHART, '../../../docs/operations.md'), 'utf8');
    for (const r of rules) {
      const used = metricsIn(r.expr);
      expect(used.length).toBeGreaterThan(0);
      for (const name of used) expect(exported.has(name) ? name : `${r.alert}: ${name} is not exported by any service`).toBe(name);
      // Scoped to the release's namespace, and documented under its own heading.
      expect(r.expr).toContain('namespace="fasit"');
      expect(r.annotations['description']).toContain(`docs/operations.md#${r.alert.toLowerCase()}`);
      expect(runbook).toContain(`### ${r.alert}`);
    }
  });

  it('the thresholds come from the values, and bad ones are refused by the schema', () => {
    const rule = one<K8sObject & { spec: { groups: { rules: Rule[] }[] } }>(
      render(FASIT_CHART, [
        MINIMAL,
        ALL_ON,
        { monitoring: { prometheusRule: { agentsSilentFor: '30m', driftFor: '2h', thresholds: { outboxOldestSeconds: 600 } } } },
      ]),
      'PrometheusRule',
      'fasit',
    );
    const rules = rule.spec.groups[0]!.rules;
    expect(rules.find((r) => r.alert === 'FasitOutboxBacklogGrowing')?.expr).toMatch(/> 600$/);
    expect(rules.find((r) => r.alert === 'FasitAgentsSilent')?.for).toBe('30m');
    expect(rules.find((r) => r.alert === 'FasitDrift')?.for).toBe('2h');
    const bad = template(FASIT_CHART, [MINIMAL, { monitoring: { prometheusRule: { thresholds: { deployFailureRatio: 2 } } } }]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('/monitoring/prometheusRule/thresholds/deployFailureRatio');
    const typo = template(FASIT_CHART, [MINIMAL, { monitoring: { serviceMonitr: { enabled: true } } }]);
    expect(typo.code).not.toBe(0);
    expect(typo.stderr).toContain('serviceMonitr');
  });

  it("the dashboard ships as a ConfigMap for Grafana's sidecar, every query reading metrics the services export", async () => {
    const exported = await exportedNames();
    const cm = one<K8sObject & { data: Record<string, string> }>(render(FASIT_CHART, [MINIMAL, ALL_ON]), 'ConfigMap', 'fasit-dashboard');
    expect(cm.metadata.labels?.['grafana_dashboard']).toBe('1');
    const dashboard = JSON.parse(cm.data['fasit.json']!) as { uid: string; panels: { title: string; targets: { expr: string }[] }[] };
    expect(dashboard.uid).toBe('fasit-overview');
    expect(dashboard).toEqual(JSON.parse(readFileSync(join(FASIT_CHART, 'dashboards/fasit.json'), 'utf8')));
    const used = new Set(dashboard.panels.flatMap((p) => p.targets.flatMap((t) => metricsIn(t.expr))));
    for (const name of used) expect(exported.has(name) ? name : `dashboard: ${name} is not exported by any service`).toBe(name);
    // Every metric of the catalogue is on the dashboard somewhere (a histogram through its buckets).
    const shown = new Set([...used].map((n) => n.replace(/_(bucket|sum|count)$/, '')));
    const all = new Set([...exported].map((n) => n.replace(/_(bucket|sum|count)$/, '')));
    expect([...all].filter((n) => !shown.has(n))).toEqual([]);
  });

  it("docs/operations.md's metrics table lists exactly the catalogue: name, type, labels and services", () => {
    const doc = readFileSync(join(FASIT_CHART, '../../../docs/operations.md'), 'utf8');
    const rows = doc
      .split('\n')
      .filter((l) => /^\| `fasit_/.test(l))
      .map((l) => l.split('|').map((c) => c.trim()));
    const documented = rows.map(([, name, type, labels, services]) => ({
      name: name!.replaceAll('`', ''),
      type,
      labels: labels!.replaceAll('`', ''),
      services,
    }));
    const expected = Object.entries(metricCatalogue).map(([name, d]) => ({
      name,
      type: d.type,
      labels: (d.labels as readonly string[]).join(', ') || '—',
      services: Object.entries(SERVICE_SCOPES)
        .filter(([, scopes]) => (scopes as readonly string[]).includes(d.scope))
        .map(([s]) => s)
        .join(', '),
    }));
    expect(documented).toEqual(expected);
  });
});
