// The one catalogue of topics: name → schema (→ type, derived) → who publishes it → who consumes it. Topic names
// are `<producer>.<subject>.<verb>.v<N>` and are never renamed; subscriptions are `<topic>.<consumer>`.
// infra/pubsub/topics.yaml declares the same topology for Pub/Sub (a test keeps the two equal).
import { createHash } from 'node:crypto';
import type { Static, TSchema } from '@sinclair/typebox';
import * as S from './schemas.js';

/** The services that consume events (each names its subscriptions `<topic>.<consumer>`). */
export type Consumer = 'matcher' | 'reconciler' | 'dispatcher' | 'naisd' | 'catalog-api';
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
  // catalog-api reads its own: an environment's filtered subscription on its instruction shard follows it (decision 0024).
  'catalog.environment.changed.v1': def(S.environmentChangedV1, 'catalog-api', ['matcher', 'catalog-api']),
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
  /**
   * A family of INSTRUCTION_SHARDS topics, `naisd.instructions.v3.shard-<k>` (see instructionShardTopic): the same signed
   * instruction as v2, with the attribute `environment=<tenant>/<environment>`; each agent's subscription on its
   * shard is filtered on it (docs/decisions/0024-instruction-delivery-at-scale.md).
   */
  'naisd.instructions.v3': def(S.signedInstructionV2, 'dispatcher', ['naisd']),
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

/** The heartbeat capability of an agent that pulls its v3 subscription: the dispatcher sends it v3 instructions. */
export const INSTRUCTIONS_V3_CAPABILITY = 'instructions.v3';

/** How many shard topics carry the v3 instructions (decision 0024: fixed, so an environment never moves). */
export const INSTRUCTION_SHARDS = 16;

/** The attribute every v3 instruction carries, `<tenant>/<environment>`: what the agents' subscriptions filter on. */
export const ENVIRONMENT_ATTRIBUTE = 'environment';

const SHARD_TOPIC = /^naisd\.instructions\.v3\.shard-(\d|1[0-5])$/;

/**
 * The shard of an environment: SHA-256 of `<tenant>/<environment>` (as a big-endian number) mod 16, i.e. its last
 * byte's low four bits. Stable: it depends on the environment's name only.
 */
export function instructionShard(tenant: string, environment: string): number {
  const digest = createHash('sha256').update(`${tenant}/${environment}`).digest();
  return digest[digest.length - 1]! % INSTRUCTION_SHARDS;
}

/** The v3 instruction topic of shard `k` (0..15). */
export function shardTopic(shard: number): string {
  if (!Number.isInteger(shard) || shard < 0 || shard >= INSTRUCTION_SHARDS) throw new RangeError(`no instruction shard ${shard}`);
  return `naisd.instructions.v3.shard-${shard}`;
}

/** Every v3 instruction topic, shard 0 first. */
export function shardTopics(): string[] {
  return Array.from({ length: INSTRUCTION_SHARDS }, (_, k) => shardTopic(k));
}

/** The v3 instruction topic an environment's instructions go to. */
export function instructionShardTopic(tenant: string, environment: string): string {
  return shardTopic(instructionShard(tenant, environment));
}

/** The value of the `environment` attribute (and of the agents' filters) for an environment. */
export function environmentAttribute(tenant: string, environment: string): string {
  return `${tenant}/${environment}`;
}

/** The attributes a v3 instruction for an environment carries. */
export function instructionAttributes(tenant: string, environment: string): Record<string, string> {
  return { [ENVIRONMENT_ATTRIBUTE]: environmentAttribute(tenant, environment) };
}

/**
 * The consumer name of an environment's agent on its shard: its subscription is `<shard topic>.<tenant>.<environment>.naisd`
 * (one per environment on a shared topic, filtered on its `environment` attribute).
 */
export function shardConsumer(tenant: string, environment: string): string {
  return `${tenant}.${environment}.naisd`;
}

/** The filtered subscription of an environment's agent on its shard, as `EventBus.consume` names it. */
export function instructionShardSubscription(tenant: string, environment: string): string {
  return subscriptionName(instructionShardTopic(tenant, environment), shardConsumer(tenant, environment));
}

/** Which catalogue entry a concrete topic name belongs to (handles the per-environment and the shard families). */
export function catalogueEntryOf(topic: string): TopicName | undefined {
  if (topic in topics) return topic as TopicName;
  if (topic.startsWith('naisd.instructions.v2.')) return 'naisd.instructions.v2';
  if (SHARD_TOPIC.test(topic)) return 'naisd.instructions.v3';
  return undefined;
}

export function subscriptionName(topic: string, consumer: string): string {
  return `${topic}.${consumer}`;
}
