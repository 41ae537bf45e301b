// The one catalogue of Fasit's metrics: name → type, help, labels, and which processes export it. Services build
// their registries from it (`ServiceMetrics`), the alert rules and the dashboard in infra/ are checked against it,
// and docs/operations.md lists it. Label values are bounded: route templates, topic families (never a tenant or an
// environment), results and actions from fixed sets — never an id.

export type MetricType = 'counter' | 'gauge' | 'histogram';

/**
 * What a process does decides what it exports: every one serves HTTP and publishes; `consumer` handles events,
 * `outbox` publishes through a transactional outbox; the rest are one service's own.
 */
export const SCOPES = ['http', 'publisher', 'consumer', 'outbox', 'catalog', 'reconciler', 'dispatcher', 'naisd'] as const;
export type MetricScope = (typeof SCOPES)[number];

/** The processes that serve /metrics, and their scopes. */
export const SERVICE_SCOPES = {
  'catalog-api': ['http', 'publisher', 'outbox', 'catalog'],
  matcher: ['http', 'publisher', 'consumer', 'outbox'],
  reconciler: ['http', 'publisher', 'consumer', 'outbox', 'reconciler'],
  dispatcher: ['http', 'publisher', 'consumer', 'outbox', 'dispatcher'],
  naisd: ['http', 'publisher', 'consumer', 'naisd'],
} as const satisfies Record<string, readonly MetricScope[]>;
export type ServiceName = keyof typeof SERVICE_SCOPES;
export const SERVICES = Object.keys(SERVICE_SCOPES) as ServiceName[];

/** A worker on the service runtime (@fasit/service) that is not one of Fasit's own (a test fixture). */
export const WORKER_SCOPES: readonly MetricScope[] = ['http', 'publisher', 'consumer', 'outbox'];

export interface MetricDef {
  type: MetricType;
  help: string;
  labels: readonly string[];
  scope: MetricScope;
  /** Histogram buckets in seconds. */
  buckets?: readonly number[];
}

const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const HANDLER_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const DEPLOY_BUCKETS = [1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200, 3600];

export const metricCatalogue = {
  fasit_http_requests_total: {
    type: 'counter',
    help: 'HTTP requests answered, by method, route template (unmatched for none) and status code',
    labels: ['method', 'route', 'status'],
    scope: 'http',
  },
  fasit_http_request_duration_seconds: {
    type: 'histogram',
    help: 'HTTP request latency, by method, route template and status code',
    labels: ['method', 'route', 'status'],
    scope: 'http',
    buckets: HTTP_BUCKETS,
  },
  fasit_events_consumed_total: {
    type: 'counter',
    help: 'events handled, by topic (family) and result: ok, duplicate (already applied), stale (older than what was applied, dropped), retried (nacked for redelivery), dead-lettered',
    labels: ['topic', 'result'],
    scope: 'consumer',
  },
  fasit_event_handler_duration_seconds: {
    type: 'histogram',
    help: 'event handler latency, by topic (family) and result',
    labels: ['topic', 'result'],
    scope: 'consumer',
    buckets: HANDLER_BUCKETS,
  },
  fasit_events_published_total: {
    type: 'counter',
    help: 'events published, by topic (family) and result: ok or failed',
    labels: ['topic', 'result'],
    scope: 'publisher',
  },
  fasit_outbox_backlog_events: {
    type: 'gauge',
    help: 'outbox events committed but not published yet (read at scrape)',
    labels: [],
    scope: 'outbox',
  },
  fasit_outbox_oldest_event_age_seconds: {
    type: 'gauge',
    help: 'age of the oldest unpublished outbox event, 0 when there is none (read at scrape)',
    labels: [],
    scope: 'outbox',
  },
  fasit_api_cache_requests_total: {
    type: 'counter',
    help: 'answers asked of the cache of serialized API answers, by answer (assignment-status, environment-list) and result: hit (the bytes kept for the current data version, or those of its build already under way, sent as they are), not-modified (304: the caller’s If-None-Match names the current version), miss (built from the rows, then kept)',
    labels: ['answer', 'result'],
    scope: 'catalog',
  },
  fasit_api_cache_evictions_total: {
    type: 'counter',
    help: 'answers dropped from the cache of serialized API answers to stay within FASIT_API_CACHE_BYTES (the least recently sent first), by answer',
    labels: ['answer'],
    scope: 'catalog',
  },
  fasit_api_cache_bytes: {
    type: 'gauge',
    help: 'bytes of serialized API answers kept (at most FASIT_API_CACHE_BYTES)',
    labels: [],
    scope: 'catalog',
  },
  fasit_reconciler_decisions_total: {
    type: 'counter',
    help: 'pairs (environment × feature) decided, by action',
    labels: ['action'],
    scope: 'reconciler',
  },
  fasit_reconciler_sweeps_total: {
    type: 'counter',
    help: 'periodic sweeps run, by result: ok, skipped (another replica sweeps), failed',
    labels: ['result'],
    scope: 'reconciler',
  },
  fasit_reconciler_last_sweep_timestamp_seconds: {
    type: 'gauge',
    help: 'when a sweep of this replica last finished or found another replica sweeping (unix seconds; the start time before the first)',
    labels: [],
    scope: 'reconciler',
  },
  fasit_reconciler_sweep_duration_seconds: {
    type: 'histogram',
    help: 'how long a full sweep of this replica took (every pair with a winner swept, the moved ones decided), in seconds',
    labels: [],
    scope: 'reconciler',
    buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
  },
  fasit_reconciler_sweep_pairs: {
    type: 'gauge',
    help: 'pairs (environment × feature) the last full sweep of this replica swept (every pair with a winner)',
    labels: [],
    scope: 'reconciler',
  },
  fasit_reconciler_sweep_decided_pairs: {
    type: 'gauge',
    help: 'pairs the last full sweep of this replica decided: those whose inputs moved or whose timed verdict was due',
    labels: [],
    scope: 'reconciler',
  },
  fasit_drift_releases: {
    type: 'gauge',
    help: 'releases whose cluster state differs from what Fasit deployed (real inventories only), by kind: missing, version, values, stuck (read at scrape)',
    labels: ['kind'],
    scope: 'reconciler',
  },
  fasit_reconciler_sweep_interval_seconds: {
    type: 'gauge',
    help: 'the configured sweep interval (FASIT_RECONCILE_INTERVAL_MS), for the sweep-overdue alert',
    labels: [],
    scope: 'reconciler',
  },
  fasit_deploys_total: {
    type: 'counter',
    help: 'deploys that ended, by result: deployed, failed (helm or the agent said so), timed-out (no result from the agent)',
    labels: ['result'],
    scope: 'dispatcher',
  },
  fasit_deploy_duration_seconds: {
    type: 'histogram',
    help: 'time from the instruction sent to the deploy ending, by result',
    labels: ['result'],
    scope: 'dispatcher',
    buckets: DEPLOY_BUCKETS,
  },
  fasit_dispatcher_received_requests_total: {
    type: 'counter',
    help: "deploy requests whose sent row did not commit with their instruction (decision 0023), by outcome: recovered (an agent's verified report recorded the sent row from the received request), expired (neither sent nor reported within twice the deploy timeout)",
    labels: ['outcome'],
    scope: 'dispatcher',
  },
  fasit_dispatcher_report_batches_total: {
    type: 'counter',
    help: 'batches of agent reports written (the verified reports of one pull, decision 0026), by outcome: written (in one transaction), split (the transaction failed, so each report was written on its own)',
    labels: ['outcome'],
    scope: 'dispatcher',
  },
  fasit_dispatcher_deploy_batches_total: {
    type: 'counter',
    help: 'batches of deploy requests sent (the requests of one pull, decision 0029), by outcome: sent (in one transaction), split (the transaction failed, so each request was sent on its own)',
    labels: ['outcome'],
    scope: 'dispatcher',
  },
  fasit_agents: {
    type: 'gauge',
    help: 'agents known to the dispatcher, by health: healthy (a heartbeat within FASIT_AGENT_HEALTH_WINDOW_MS) or silent (read at scrape)',
    labels: ['health'],
    scope: 'dispatcher',
  },
  fasit_naisd_helm_runs_total: {
    type: 'counter',
    help: 'helm processes run by the agent, by operation (upgrade, uninstall, rollback, history, list, get, status, version; other) and result (ok, failed)',
    labels: ['operation', 'result'],
    scope: 'naisd',
  },
  fasit_naisd_helm_duration_seconds: {
    type: 'histogram',
    help: 'helm run time, by operation and result',
    labels: ['operation', 'result'],
    scope: 'naisd',
    buckets: DEPLOY_BUCKETS,
  },
  fasit_naisd_queue_length: {
    type: 'gauge',
    help: "helm operations waiting for or holding the agent's serial lane",
    labels: [],
    scope: 'naisd',
  },
  fasit_naisd_last_heartbeat_timestamp_seconds: {
    type: 'gauge',
    help: 'when the agent last published a heartbeat (unix seconds; 0 before the first)',
    labels: [],
    scope: 'naisd',
  },
  fasit_naisd_instructions_filtered_total: {
    type: 'counter',
    help: "v3 instructions on the agent's shard whose environment attribute names another environment, dropped before verification (Pub/Sub's filter lets none through; the emulator ignores filters)",
    labels: [],
    scope: 'naisd',
  },
} as const satisfies Record<string, MetricDef>;

export type MetricName = keyof typeof metricCatalogue;
type Catalogue = typeof metricCatalogue;
export type MetricOfType<T extends MetricType> = { [N in MetricName]: Catalogue[N]['type'] extends T ? N : never }[MetricName];
export type LabelsOf<N extends MetricName> = Catalogue[N]['labels'][number];

/** Every metric a service exports, as Prometheus names them (a histogram as its `_bucket`, `_sum` and `_count` series). */
export function exportedSeriesNames(service?: ServiceName): string[] {
  const scopes: readonly MetricScope[] | undefined = service === undefined ? undefined : SERVICE_SCOPES[service];
  return Object.entries(metricCatalogue as Record<string, MetricDef>)
    .filter(([, d]) => scopes === undefined || scopes.includes(d.scope))
    .flatMap(([name, d]) => (d.type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name]));
}
