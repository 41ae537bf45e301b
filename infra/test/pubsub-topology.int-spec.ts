// infra/pubsub/topics.yaml against the code: every catalogue topic of packages/bus (and no other), with the
// catalogue's publisher and a subscription `<topic>.<consumer>` for every consumer the catalogue names (and no
// other; each consumer's handler table must handle exactly those topics, or its app does not compile), a
// dead-letter topic for each, and settings Pub/Sub accepts. The gcloud commands printed for operators create exactly that.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DEAD_LETTER_SUFFIX,
  filterExpression,
  instructionAttributes,
  instructionShard,
  instructionShardSubscription,
  instructionShardTopic,
  instructionTopic,
  shardTopics,
  subscriptionName,
  topics,
  topicsOf,
} from '@fasit/bus';
import { readConfig } from '@fasit/config';
import { dispatcherService, dispatcherSpec } from '@fasit/dispatcher';
import { matcherService, matcherSpec } from '@fasit/matcher';
import { reconcilerService, reconcilerSpec } from '@fasit/reconciler';
import { DEAD_LETTER, expandTopology, familyTopic, gcloudCommands, loadTopology, shardFamilyTopic, shardOf } from '../src/index.js';

const APPS = fileURLToPath(new URL('../../apps', import.meta.url));
const topology = loadTopology();

const declared = () => [
  ...topology.topics.map((t) => ({ ...t, family: false })),
  ...topology.families.map((f) => ({ ...f, family: true })),
  ...topology.shardFamilies.map((f) => ({ ...f, family: true })),
];

describe('infra/pubsub/topics.yaml against the catalogue in packages/bus', () => {
  it('lists every catalogue topic once, and nothing else; the family is the catalogue entry of per-environment topics', () => {
    const names = declared().map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual(Object.keys(topics).sort());
    const family = topology.families.find((f) => f.name === 'naisd.instructions.v2');
    if (!family) throw new Error('naisd.instructions.v2 family missing');
    expect(familyTopic(family, 'acme', 'prod-gcp')).toBe(instructionTopic('acme', 'prod-gcp'));
  });

  it('grants naisd subscriber on its own subscriptions only, and catalog-api the right to create and delete subscriptions', () => {
    const concrete = expandTopology(topology, [
      { tenant: 'acme', environment: 'dev' },
      { tenant: 'acme', environment: 'prod' },
    ]);
    const of = (principal: string) => concrete.bindings.filter((b) => b.principal === principal);
    for (const e of ['dev', 'prod'])
      expect(of(`naisd:acme/${e}`)).toEqual([
        { principal: `naisd:acme/${e}`, role: 'roles/pubsub.subscriber', resource: { subscription: subscriptionName(instructionTopic('acme', e), 'naisd') } },
        { principal: `naisd:acme/${e}`, role: 'roles/pubsub.subscriber', resource: { subscription: instructionShardSubscription('acme', e) } },
      ]);
    // Nothing on any topic (a shard's included), nothing on the project.
    expect(concrete.bindings.filter((b) => b.principal.startsWith('naisd') && !('subscription' in b.resource))).toEqual([]);
    expect(of('catalog-api')).toEqual([{ principal: 'catalog-api', role: 'roles/pubsub.editor', resource: { project: true } }]);
    expect(gcloudCommands(concrete, 'p1')).toContain(
      `gcloud pubsub subscriptions add-iam-policy-binding ${instructionShardSubscription('acme', 'dev')} --project=p1 --member=serviceAccount:SERVICE_ACCOUNT_OF_naisd_acme_dev --role=roles/pubsub.subscriber`,
    );
    // Adding an environment grants only its own.
    expect(expandTopology(topology, [{ tenant: 'acme', environment: 'dev' }], false).bindings.map((b) => b.principal)).toEqual([
      'naisd:acme/dev',
      'naisd:acme/dev',
    ]);
  });

  it("declares the bus's 16 shard topics, each environment's filtered subscription on the shard the bus picks for it", () => {
    const shards = topology.shardFamilies.find((f) => f.name === 'naisd.instructions.v3');
    if (!shards) throw new Error('naisd.instructions.v3 shard family missing');
    expect(Array.from({ length: shards.shards }, (_, k) => shardFamilyTopic(shards, k))).toEqual(shardTopics());
    for (let i = 0; i < 1000; i++) expect(shardOf(`tenant-${i % 7}`, `env-${i}`, shards.shards)).toBe(instructionShard(`tenant-${i % 7}`, `env-${i}`));
    const concrete = expandTopology(topology, [{ tenant: 'acme', environment: 'dev' }]);
    for (const t of shardTopics()) expect(concrete.topics.map((c) => c.name)).toContain(t);
    const sub = concrete.subscriptions.find((s) => s.topic === instructionShardTopic('acme', 'dev') && s.consumer === 'naisd');
    expect(sub).toMatchObject({
      name: instructionShardSubscription('acme', 'dev'),
      filter: filterExpression(instructionAttributes('acme', 'dev')),
      deadLetterTopic: `${instructionShardSubscription('acme', 'dev')}${DEAD_LETTER_SUFFIX}`,
    });
    // One subscription per environment on the shard topics, none shared.
    expect(concrete.subscriptions.filter((s) => shardTopics().includes(s.topic)).map((s) => s.name)).toEqual([instructionShardSubscription('acme', 'dev')]);
  });

  it('has a subscription for every consumer the catalogue names, and no other', () => {
    const fromCatalogue = Object.entries(topics)
      .flatMap(([topic, entry]) => entry.consumers.map((consumer) => `${topic} <- ${consumer}`))
      .sort();
    const fromYaml = declared()
      .flatMap((t) => t.subscriptions.map((s) => `${t.name} <- ${s.consumer}`))
      .sort();
    expect(fromYaml).toEqual(fromCatalogue);
    expect(topicsOf('naisd')).toEqual(['naisd.instructions.v2', 'naisd.instructions.v3']);
  });

  it('names the publisher the catalogue names', () => {
    expect(
      declared()
        .map((t) => `${t.name}: ${t.publisher}`)
        .sort(),
    ).toEqual(
      Object.entries(topics)
        .map(([topic, entry]) => `${topic}: ${entry.producer}`)
        .sort(),
    );
  });

  it('names consumers as the services do (the service name is the subscription suffix)', () => {
    expect(matcherService(readConfig(matcherSpec, {})).name).toBe('matcher');
    expect(reconcilerService(readConfig(reconcilerSpec, {})).name).toBe('reconciler');
    expect(dispatcherService(readConfig(dispatcherSpec, {})).name).toBe('dispatcher');
    expect(readFileSync(join(APPS, 'naisd', 'src', 'naisd.app.ts'), 'utf8')).toContain("export const CONSUMER = 'naisd';");
  });

  it('names each publisher after the producer part of its topic names', () => {
    const producer: Record<string, string> = { catalog: 'catalog-api', matcher: 'matcher', reconciler: 'reconciler', dispatcher: 'dispatcher', naisd: 'naisd' };
    // naisd.instructions.* is the one topic named after its reader: the dispatcher sends each agent its instructions.
    for (const t of declared())
      expect(`${t.name}: ${t.publisher}`).toBe(`${t.name}: ${t.name.startsWith('naisd.instructions.') ? 'dispatcher' : producer[t.name.split('.')[0] ?? '']}`);
  });

  it('expands to subscriptions `<topic>.<consumer>` with a dead-letter topic `<subscription>.dead-letter` that has its own inspect subscription', () => {
    expect(DEAD_LETTER).toBe(DEAD_LETTER_SUFFIX);
    const concrete = expandTopology(topology, [{ tenant: 'acme', environment: 'prod-gcp' }]);
    const topicNames = new Set(concrete.topics.map((t) => t.name));
    const consumerSubs = concrete.subscriptions.filter((s) => s.deadLetterTopic !== undefined);
    expect(consumerSubs.map((s) => s.name)).toContain(subscriptionName(instructionTopic('acme', 'prod-gcp'), 'naisd'));
    expect(consumerSubs.map((s) => s.name)).toContain(subscriptionName('matcher.targets.changed.v1', 'reconciler'));
    for (const s of consumerSubs) {
      expect(s.name).toBe(shardTopics().includes(s.topic) ? instructionShardSubscription('acme', 'prod-gcp') : subscriptionName(s.topic, s.consumer));
      expect(s.deadLetterTopic).toBe(`${s.name}${DEAD_LETTER_SUFFIX}`);
      expect(topicNames.has(s.topic)).toBe(true);
      expect(topicNames.has(s.deadLetterTopic ?? '')).toBe(true);
      expect(concrete.subscriptions.some((i) => i.topic === s.deadLetterTopic && i.deadLetterTopic === undefined)).toBe(true);
    }
    // Every topic has at least one subscription, or Pub/Sub would drop what is published to it; a shard topic has
    // one per environment on it (here: only the one acme/prod-gcp is on), and nothing is sent to an environment without one.
    const shards = new Set(shardTopics());
    for (const t of topicNames) if (!shards.has(t)) expect(concrete.subscriptions.some((s) => s.topic === t) ? t : `${t} has no subscription`).toBe(t);
    expect(concrete.subscriptions.some((s) => s.topic === instructionShardTopic('acme', 'prod-gcp'))).toBe(true);
  });

  it("uses names and settings Pub/Sub accepts, with a dead-letter backstop above the services' own delivery limit", () => {
    const concrete = expandTopology(topology, [{ tenant: 'acme', environment: 'prod-gcp' }]);
    const seconds = (d: string) => Number(/^(\d+)s$/.exec(d)?.[1] ?? NaN);
    const maxDeliveries = readConfig(matcherSpec, {}).busMaxDeliveries;
    for (const name of [...concrete.topics.map((t) => t.name), ...concrete.subscriptions.map((s) => s.name)]) {
      expect(name).toMatch(/^[A-Za-z][-A-Za-z0-9_.~+%]{2,254}$/);
      expect(name.startsWith('goog')).toBe(false);
    }
    for (const s of concrete.subscriptions) {
      expect(s.ackDeadlineSeconds).toBeGreaterThanOrEqual(10);
      expect(s.ackDeadlineSeconds).toBeLessThanOrEqual(600);
      expect(seconds(s.messageRetentionDuration)).toBeGreaterThanOrEqual(600);
      expect(seconds(s.messageRetentionDuration)).toBeLessThanOrEqual(7 * 24 * 3600);
      if (s.deadLetterTopic !== undefined) {
        const retry = s.retryPolicy ?? { minimumBackoff: '', maximumBackoff: '' };
        expect(seconds(retry.minimumBackoff)).toBeLessThanOrEqual(seconds(retry.maximumBackoff));
        expect(seconds(retry.maximumBackoff)).toBeLessThanOrEqual(600);
        const attempts = s.deadLetterPolicy?.maxDeliveryAttempts ?? 0;
        expect(attempts).toBeGreaterThanOrEqual(5);
        expect(attempts).toBeLessThanOrEqual(100);
        expect(attempts).toBeGreaterThan(maxDeliveries);
      }
    }
  });

  it('prints gcloud commands that create every topic before the subscriptions that need it', () => {
    const concrete = expandTopology(topology, [{ tenant: 'acme', environment: 'dev' }]);
    const lines = gcloudCommands(concrete, 'fasit-prod-4711');
    expect(lines).toHaveLength(concrete.topics.length + concrete.subscriptions.length + concrete.bindings.length);
    const createdAt = (topic: string) => lines.indexOf(`gcloud pubsub topics create ${topic} --project=fasit-prod-4711`);
    for (const s of concrete.subscriptions) {
      const i = lines.findIndex((l) => l.startsWith(`gcloud pubsub subscriptions create ${s.name} `));
      expect(i).toBeGreaterThan(createdAt(s.topic));
      expect(createdAt(s.topic)).toBeGreaterThanOrEqual(0);
      if (s.deadLetterTopic) expect(lines[i]).toContain(`--dead-letter-topic=${s.deadLetterTopic} --max-delivery-attempts=10`);
    }
    expect(lines).toContain(
      'gcloud pubsub subscriptions create naisd.instructions.v2.acme.dev.naisd --project=fasit-prod-4711 --topic=naisd.instructions.v2.acme.dev --ack-deadline=10 --message-retention-duration=604800s --min-retry-delay=1s --max-retry-delay=60s --dead-letter-topic=naisd.instructions.v2.acme.dev.naisd.dead-letter --max-delivery-attempts=10 --expiration-period=never --enable-message-ordering',
    );
    // Adding an environment creates only that environment's resources.
    const onlyEnv = expandTopology(topology, [{ tenant: 'acme', environment: 'dev' }], false);
    expect(onlyEnv.topics.map((t) => t.name)).toEqual([
      'naisd.instructions.v2.acme.dev',
      'naisd.instructions.v2.acme.dev.naisd.dead-letter',
      'naisd.instructions.v3.shard-9.acme.dev.naisd.dead-letter',
    ]);
    expect(lines).toContain(
      `gcloud pubsub subscriptions create naisd.instructions.v3.shard-9.acme.dev.naisd --project=fasit-prod-4711 --topic=naisd.instructions.v3.shard-9 --ack-deadline=10 --message-retention-duration=604800s --min-retry-delay=1s --max-retry-delay=60s --dead-letter-topic=naisd.instructions.v3.shard-9.acme.dev.naisd.dead-letter --max-delivery-attempts=10 --expiration-period=never --enable-message-ordering --message-filter='attributes.environment = "acme/dev"'`,
    );
  });
});
