// One Prometheus registry per service (not prom-client's global one: the embedded platform runs every service in
// one process, and each still answers /metrics with its own). Every metric of the service's part of the catalogue
// is registered up front, so a scrape lists it at zero before anything happened.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type Metric } from 'prom-client';
import {
  SERVICE_SCOPES,
  WORKER_SCOPES,
  metricCatalogue,
  type LabelsOf,
  type MetricDef,
  type MetricName,
  type MetricOfType,
  type MetricScope,
} from './catalogue.js';

type LabelValues<N extends MetricName> = Partial<Record<LabelsOf<N>, string | number>>;

/** Sets a gauge's values at scrape time (`set(value)` or `set(value, labels)`). */
export type GaugeCollector<N extends MetricOfType<'gauge'>> = (set: (value: number, labels?: LabelValues<N>) => void) => Promise<void> | void;

export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly metrics = new Map<string, Metric>();
  private readonly collectors = new Map<string, GaugeCollector<MetricOfType<'gauge'>>>();

  readonly scopes: readonly MetricScope[];

  /** `service`: the `service` label; its scopes are the catalogue's for Fasit's own services, a worker's otherwise. */
  constructor(
    readonly service: string,
    options: { processMetrics?: boolean; scopes?: readonly MetricScope[] } = {},
  ) {
    this.scopes = options.scopes ?? (service in SERVICE_SCOPES ? SERVICE_SCOPES[service as keyof typeof SERVICE_SCOPES] : WORKER_SCOPES);
    this.registry.setDefaultLabels({ service });
    // Node's own (memory, event loop lag, CPU), as `fasit_process_*`; off where a test builds many registries.
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'fasit_process_' });
    for (const [name, def] of Object.entries(metricCatalogue as Record<string, MetricDef>)) {
      if (this.scopes.includes(def.scope)) this.metrics.set(name, this.create(name, def));
    }
  }

  counter<N extends MetricOfType<'counter'>>(name: N): { inc(labels?: LabelValues<N>, by?: number): void } {
    const c = this.get(name) as Counter;
    return { inc: (labels = {}, by = 1) => c.inc(labels as Record<string, string | number>, by) };
  }

  histogram<N extends MetricOfType<'histogram'>>(name: N): { observe(labels: LabelValues<N>, seconds: number): void } {
    const h = this.get(name) as Histogram;
    return { observe: (labels, seconds) => h.observe(labels as Record<string, string | number>, seconds) };
  }

  gauge<N extends MetricOfType<'gauge'>>(name: N): { set(value: number, labels?: LabelValues<N>): void } {
    const g = this.get(name) as Gauge;
    return { set: (value, labels = {}) => g.set(labels as Record<string, string | number>, value) };
  }

  /** Reads a gauge at scrape time (the outbox backlog, the agents by health). A failing read leaves the gauge as it was. */
  collectGauge<N extends MetricOfType<'gauge'>>(name: N, collector: GaugeCollector<N>): void {
    this.get(name);
    this.collectors.set(name, collector);
  }

  /** The Prometheus text exposition. */
  async text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private get(name: MetricName): Metric {
    const m = this.metrics.get(name);
    if (!m) throw new Error(`metric ${name} is not exported by ${this.service} (see the scope of its entry in packages/metrics/src/catalogue.ts)`);
    return m;
  }

  private create(name: string, def: MetricDef): Metric {
    const common = { name, help: def.help, labelNames: [...def.labels], registers: [this.registry] };
    switch (def.type) {
      case 'counter':
        return new Counter(common);
      case 'histogram':
        return new Histogram({ ...common, ...(def.buckets ? { buckets: [...def.buckets] } : {}) });
      case 'gauge': {
        const collectors = this.collectors;
        return new Gauge({
          ...common,
          async collect() {
            const collector = collectors.get(name);
            if (!collector) return;
            const values: [number, Record<string, string | number>][] = [];
            try {
              await collector((value, labels = {}) => values.push([value, labels]));
            } catch {
              return; // e.g. the database is down: the gauge keeps its last value; /readyz says what is wrong
            }
            if (def.labels.length > 0) this.reset();
            for (const [value, labels] of values) this.set(labels, value);
          },
        });
      }
    }
  }
}
