// The one catalogue of topics: name → schema (→ type, derived) → who publishes it → who consumes it. Topic names
// are `<producer>.<subject>.<verb>.v<N>` and are never renamed; subscriptions are `<topic>.<consumer>`.
// infra/pubsub/topics.yaml declares the same topology for Pub/Sub (a test keeps the two equal).
import type { Static, TSchema } from '@sinclair/typebox';
import * as S from './schemas.js';

/** The services that consume events (each names its subscriptions `<topic>.<consumer>`). */
export type Consumer = 'matcher' | 'reconciler' | 'dispatcher' | 'naisd';
export type Producer = 'catalog-api' | 'matcher' | 'reconciler' | 'dispatcher' | 'naisd';

interface TopicDef<Schema extends TSchema, C extends Consumer> {
  schema: Schema;
  producer: Producer;
  consumers: readonly C[];
}
const def = <Schema extends TSchema, C extends Consumer>(schema: Schema, producer: Producer, consumers: readonly C[]): TopicDef<Schema, C> => ({
  schema,
  producer,
  consumers,
});

export const topics = {
  'catalog.assignment.changed.v1': def(S.assignmentChangedV1, 'catalog-api', ['matcher']),
  'catalog.environment.changed.v1': def(S.environmentChangedV1, 'catalog-api', ['matcher']),
  'catalog.config.changed.v1': def(S.configChangedV1, 'catalog-api', ['matcher']),
  'catalog.environment-value.changed.v1': def(S.environmentValueChangedV1, 'catalog-api', ['matcher']),
  'catalog.feature-toggle.changed.v1': def(S.featureToggleChangedV1, 'catalog-api', ['matcher']),
  'catalog.redeploy.requested.v1': def(S.redeployRequestedV1, 'catalog-api', ['matcher']),
  'catalog.uninstall.requested.v1': def(S.uninstallRequestedV1, 'catalog-api', ['dispatcher']),
  'matcher.targets.changed.v1': def(S.targetsChangedV1, 'matcher', ['reconciler']),
  'reconciler.deploy.requested.v1': def(S.deployRequestedV1, 'reconciler', ['dispatcher']),
  'dispatcher.deploy-status.changed.v1': def(S.deployStatusChangedV1, 'dispatcher', ['reconciler']),
  'dispatcher.inventory.reported.v1': def(S.inventoryReportedV1, 'dispatcher', ['reconciler']),
  'naisd.status.reported.v1': def(S.agentReportV1, 'naisd', ['dispatcher']),
  /** A family: one topic per environment, `naisd.instructions.v2.<tenant>.<environment>` (see instructionTopic). */
  'naisd.instructions.v2': def(S.signedInstructionV2, 'dispatcher', ['naisd']),
} as const;

export type TopicName = keyof typeof topics;
export type PayloadOf<T extends TopicName> = Static<(typeof topics)[T]['schema']>;

/** The topics a consumer subscribes to. */
export type TopicsOf<C extends Consumer> = { [T in TopicName]: C extends (typeof topics)[T]['consumers'][number] ? T : never }[TopicName];

/** The topics a consumer subscribes to, at run time (in catalogue order). */
export function topicsOf<C extends Consumer>(consumer: C): TopicsOf<C>[] {
  return (Object.keys(topics) as TopicName[]).filter((t) => (topics[t].consumers as readonly Consumer[]).includes(consumer)) as TopicsOf<C>[];
}

/** The per-environment instruction topic of an agent. */
export function instructionTopic(tenant: string, environment: string): string {
  return `naisd.instructions.v2.${tenant}.${environment}`;
}

/** Which catalogue entry a concrete topic name belongs to (handles the per-environment family). */
export function catalogueEntryOf(topic: string): TopicName | undefined {
  if (topic in topics) return topic as TopicName;
  if (topic.startsWith('naisd.instructions.v2.')) return 'naisd.instructions.v2';
  return undefined;
}

export function subscriptionName(topic: string, consumer: string): string {
  return `${topic}.${consumer}`;
}
