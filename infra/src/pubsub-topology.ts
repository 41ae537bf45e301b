// The Pub/Sub topology of infra/pubsub/topics.yaml, read and expanded into the concrete topics and
// subscriptions that must exist (static topics, plus the per-environment family members of given environments).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';

export const TOPICS_FILE = fileURLToPath(new URL('../pubsub/topics.yaml', import.meta.url));
export const DEAD_LETTER = '.dead-letter';
export const INSPECT_CONSUMER = 'inspect';

export interface SubscriptionSettings {
  ackDeadlineSeconds: number;
  messageRetentionDuration: string;
  retryPolicy?: { minimumBackoff: string; maximumBackoff: string };
  deadLetterPolicy?: { maxDeliveryAttempts: number };
  neverExpire: boolean;
  /** Deliver the messages of one ordering key (one aggregate, `packages/bus/src/catalogue/ordering.ts`) in order. */
  enableMessageOrdering?: boolean;
}

export interface TopicDeclaration {
  name: string;
  publisher: string;
  subscriptions: ({ consumer: string } & Partial<SubscriptionSettings>)[];
}

export interface FamilyDeclaration extends TopicDeclaration {
  /** The concrete topic name with {tenant} and {environment} placeholders. */
  topic: string;
}

/**
 * A family of shard topics shared by all environments (`naisd.instructions.v3.shard-<k>`): the topics exist from
 * the start; each environment gets one subscription per consumer on its shard, `<shard topic>.<tenant>.<environment>.<consumer>`,
 * filtered on its `environment` attribute (docs/decisions/0024-instruction-delivery-at-scale.md).
 */
export interface ShardFamilyDeclaration extends TopicDeclaration {
  /** The concrete topic name with a {shard} placeholder. */
  topic: string;
  shards: number;
  /** The attribute each message names its environment in (`<tenant>/<environment>`), and the subscriptions filter on. */
  attribute: string;
}

/** A role granted to a principal: on the project, or on each environment's own subscriptions (naisd's). */
export interface IamDeclaration {
  principal: 'catalog-api' | 'naisd';
  role: string;
  on: 'project' | 'own-subscriptions';
}

export interface Topology {
  defaults: { subscription: SubscriptionSettings; deadLetter: { inspectSubscription: SubscriptionSettings } };
  topics: TopicDeclaration[];
  families: FamilyDeclaration[];
  shardFamilies: ShardFamilyDeclaration[];
  iam: IamDeclaration[];
}

/** One IAM binding: `principal` is `catalog-api`, or `naisd:<tenant>/<environment>` (that environment's agent). */
export interface Binding {
  principal: string;
  role: string;
  /** `project`, or the name of a subscription. */
  resource: { project: true } | { subscription: string };
}

export interface ConcreteSubscription extends SubscriptionSettings {
  name: string;
  topic: string;
  consumer: string;
  /** Set on consumer subscriptions; absent on the `.inspect` subscriptions of dead-letter topics. */
  deadLetterTopic?: string;
  /** Pub/Sub's filter expression (an environment's subscription on its shard); set at creation, never changed. */
  filter?: string;
}

export interface ConcreteTopology {
  topics: { name: string; deadLetterOf?: string }[];
  subscriptions: ConcreteSubscription[];
  bindings: Binding[];
}

export function loadTopology(file: string = TOPICS_FILE): Topology {
  return yaml.load(readFileSync(file, 'utf8')) as Topology;
}

export function familyTopic(family: FamilyDeclaration, tenant: string, environment: string): string {
  return family.topic.replaceAll('{tenant}', tenant).replaceAll('{environment}', environment);
}

/** The shard of an environment: SHA-256 of `<tenant>/<environment>` mod `shards` (as `instructionShard` in @fasit/bus). */
export function shardOf(tenant: string, environment: string, shards: number): number {
  const digest = createHash('sha256').update(`${tenant}/${environment}`).digest();
  return digest[digest.length - 1]! % shards;
}

export function shardFamilyTopic(family: ShardFamilyDeclaration, shard: number): string {
  return family.topic.replaceAll('{shard}', String(shard));
}

/**
 * Every topic and subscription to create: the static topics, and for each `tenant/environment` given, the members
 * of the topic families. `includeStatic: false` gives only the environments' resources (adding an environment).
 */
export function expandTopology(
  topology: Topology,
  environments: readonly { tenant: string; environment: string }[] = [],
  includeStatic = true,
): ConcreteTopology {
  const out: ConcreteTopology = { topics: [], subscriptions: [], bindings: [] };
  const add = (topic: string, decl: TopicDeclaration, on?: { prefix: string; filter: string }): void => {
    if (!on) out.topics.push({ name: topic });
    for (const s of decl.subscriptions) {
      const { consumer, ...overrides } = s;
      const name = `${topic}.${on?.prefix ?? ''}${consumer}`;
      const deadLetterTopic = `${name}${DEAD_LETTER}`;
      out.subscriptions.push({
        ...topology.defaults.subscription,
        ...overrides,
        name,
        topic,
        consumer,
        deadLetterTopic,
        ...(on ? { filter: on.filter } : {}),
      });
      out.topics.push({ name: deadLetterTopic, deadLetterOf: name });
      out.subscriptions.push({
        ...topology.defaults.deadLetter.inspectSubscription,
        name: `${deadLetterTopic}.${INSPECT_CONSUMER}`,
        topic: deadLetterTopic,
        consumer: INSPECT_CONSUMER,
      });
    }
  };
  if (includeStatic) {
    for (const t of topology.topics) add(t.name, t);
    for (const f of topology.shardFamilies) for (let k = 0; k < f.shards; k++) out.topics.push({ name: shardFamilyTopic(f, k) });
  }
  if (includeStatic)
    for (const b of topology.iam) if (b.on === 'project') out.bindings.push({ principal: b.principal, role: b.role, resource: { project: true } });
  for (const { tenant, environment } of environments) {
    const before = out.subscriptions.length;
    for (const f of topology.families) add(familyTopic(f, tenant, environment), f);
    for (const f of topology.shardFamilies)
      add(shardFamilyTopic(f, shardOf(tenant, environment, f.shards)), f, {
        prefix: `${tenant}.${environment}.`,
        filter: `attributes.${f.attribute} = "${tenant}/${environment}"`,
      });
    // The environment's own consumer subscriptions (not the dead-letter inspection ones: those are the operators').
    const own = out.subscriptions.slice(before).filter((sub) => sub.consumer !== INSPECT_CONSUMER);
    for (const b of topology.iam)
      if (b.on === 'own-subscriptions')
        for (const sub of own) out.bindings.push({ principal: `${b.principal}:${tenant}/${environment}`, role: b.role, resource: { subscription: sub.name } });
  }
  return out;
}
