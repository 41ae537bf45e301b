// The aggregate each event belongs to, as its Pub/Sub ordering key: events of one aggregate are published and
// delivered in the order they were written. An event that concerns many aggregates at once
// (`matcher.targets.changed.v1`, an agent's heartbeat) has none: its consumers re-read the current state.
import { decodeJwt } from 'jose';
import { catalogueEntryOf, type PayloadOf, type TopicName } from './topics.js';

type KeyOf = { [T in TopicName]: (p: PayloadOf<T>) => string | undefined };

const pair = (environmentId: string, feature: string): string => `pair:${environmentId}:${feature}`;

/** The claims an instruction's ordering key is read from, unverified (`decodeJwt`), or undefined when unreadable. */
function claimsOf(jws: string): { aud?: unknown; instruction?: { release?: unknown } } | undefined {
  try {
    return decodeJwt(jws);
  } catch {
    return undefined;
  }
}

const keys: KeyOf = {
  // An assignment replaces the active one of the same (feature, target): that slot is the aggregate.
  'catalog.assignment.changed.v1': (p) =>
    `assignment:${p.feature}:${JSON.stringify(Object.entries(p.target).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))}`,
  'catalog.environment.changed.v1': (p) => `environment:${p.environmentId}`,
  'catalog.config.changed.v1': (p) => `config:${p.feature}:${p.environmentId ?? '*'}`,
  'catalog.environment-value.changed.v1': (p) => `environment:${p.environmentId}`,
  'catalog.feature-toggle.changed.v1': (p) => pair(p.environmentId, p.feature),
  'catalog.redeploy.requested.v1': (p) => pair(p.environmentId, p.feature),
  'catalog.uninstall.requested.v1': (p) => pair(p.environmentId, p.release),
  'matcher.targets.changed.v1': () => undefined,
  'reconciler.deploy.requested.v1': (p) => pair(p.environmentId, p.feature),
  'dispatcher.deploy-status.changed.v1': (p) => pair(p.environmentId, p.feature),
  'dispatcher.inventory.reported.v1': (p) => `inventory:${p.environmentId}`,
  'naisd.status.reported.v1': (p) =>
    p.report.type === 'helm' || p.report.type === 'log' || p.report.type === 'uninstall' ? `deploy:${p.report.diid}` : undefined,
  // One topic per environment: the release is the aggregate. Read from the claims unverified: an ordering key only
  // orders delivery; what an agent runs is what verifies (InstructionVerifier).
  'naisd.instructions.v2': (p) => {
    const release = claimsOf(p.jws)?.instruction?.release;
    return typeof release === 'string' ? `release:${release}` : undefined;
  },
  // A shard carries many environments: the aggregate is the release in its environment (the audience), so one
  // environment's releases never wait behind another's.
  'naisd.instructions.v3': (p) => {
    const claims = claimsOf(p.jws);
    const release = claims?.instruction?.release;
    return typeof release === 'string' && typeof claims?.aud === 'string' ? `release:${claims.aud}:${release}` : undefined;
  },
};

/** The ordering key of an event already validated against its topic's contract, or undefined. */
export function orderingKeyOf(topic: string, payload: unknown): string | undefined {
  const entry = catalogueEntryOf(topic);
  if (!entry) return undefined;
  return (keys[entry] as (p: unknown) => string | undefined)(payload);
}
