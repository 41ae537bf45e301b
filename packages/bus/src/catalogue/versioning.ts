// Per-aggregate versions (docs/decisions/0018-aggregate-versions.md). Every event of the control plane's own topics
// carries the version of its aggregate on that topic (`aggregateVersion`): the producer's outbox issues it from a
// counter row per (topic, aggregate) in the transaction of the change, and a consumer records the last version it
// applied per aggregate in the transaction of its effect and drops what is not newer. The aggregate is the event's
// ordering key (ordering.ts); `matcher.targets.changed.v1` concerns many pairs at once and carries a version per pair.
// The agents' topics carry none: an older naisd must still be understood, and a deploy's reports are ordered by
// their status (the dispatcher never lets `installing` follow `deployed` or `failed`).
import { orderingKeyOf } from './ordering.js';
import type { TopicName } from './topics.js';

/** One aggregate of an event and its version: `aggregate` is `<topic>|<ordering key>`. */
export interface AggregateVersion {
  aggregate: string;
  version: number;
}

/** A payload before its versions are issued (what a producer hands the outbox). */
export type Draft<T> = T extends readonly (infer U)[]
  ? Draft<U>[]
  : T extends object
    ? { [K in keyof T as K extends 'aggregateVersion' ? never : K]: Draft<T[K]> }
    : T;

/** How each topic carries versions: one for the event, one per announced pair, or none. */
const carried: { [T in TopicName]: 'event' | 'pairs' | 'none' } = {
  'catalog.assignment.changed.v1': 'event',
  'catalog.environment.changed.v1': 'event',
  'catalog.config.changed.v1': 'event',
  'catalog.environment-value.changed.v1': 'event',
  'catalog.feature-toggle.changed.v1': 'event',
  'catalog.redeploy.requested.v1': 'event',
  'catalog.uninstall.requested.v1': 'event',
  'matcher.targets.changed.v1': 'pairs',
  'reconciler.deploy.requested.v1': 'event',
  'dispatcher.deploy-status.changed.v1': 'event',
  'dispatcher.inventory.reported.v1': 'event',
  'naisd.status.reported.v1': 'none',
  'naisd.instructions.v2': 'none',
  'naisd.instructions.v3': 'none',
};

interface Pair {
  environmentId: string;
  feature: string;
}

const pairAggregate = (topic: string, p: Pair): string => `${topic}|pair:${p.environmentId}:${p.feature}`;

function carriedBy(topic: string): 'event' | 'pairs' | 'none' {
  return topic in carried ? carried[topic as TopicName] : 'none';
}

/** The aggregates a draft will carry versions for, in the order `stampVersions` takes their versions. */
export function aggregatesOf(topic: string, draft: unknown): string[] {
  switch (carriedBy(topic)) {
    case 'event': {
      const key = orderingKeyOf(topic, draft);
      if (key === undefined) throw new Error(`${topic}: a versioned event without an aggregate`);
      return [`${topic}|${key}`];
    }
    case 'pairs':
      return ((draft as { pairs?: Pair[] }).pairs ?? []).map((p) => pairAggregate(topic, p));
    case 'none':
      return [];
  }
}

/** The draft with its versions (one per aggregate of `aggregatesOf`, in that order). */
export function stampVersions(topic: string, draft: unknown, versions: number[]): unknown {
  switch (carriedBy(topic)) {
    case 'event':
      return { ...(draft as object), aggregateVersion: versions[0] };
    case 'pairs': {
      const d = draft as { pairs: Pair[] };
      return { ...d, pairs: d.pairs.map((p, i) => ({ ...p, aggregateVersion: versions[i] })) };
    }
    case 'none':
      return draft;
  }
}

/** The aggregates of an event that passed its contract, with their versions (none for the agents' topics). */
export function aggregateVersionsOf(topic: string, payload: unknown): AggregateVersion[] {
  switch (carriedBy(topic)) {
    case 'event': {
      const key = orderingKeyOf(topic, payload);
      const version = (payload as { aggregateVersion: number }).aggregateVersion;
      return key === undefined ? [] : [{ aggregate: `${topic}|${key}`, version }];
    }
    case 'pairs':
      return (payload as { pairs: (Pair & { aggregateVersion: number })[] }).pairs.map((p) => ({
        aggregate: pairAggregate(topic, p),
        version: p.aggregateVersion,
      }));
    case 'none':
      return [];
  }
}

/** The aggregate of one announced pair (the reconciler claims pairs one by one). */
export function announcedPairAggregate(p: Pair): string {
  return pairAggregate('matcher.targets.changed.v1', p);
}
