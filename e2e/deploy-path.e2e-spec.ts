// The deploy path on separate service processes (catalog-api, matcher, reconciler, dispatcher, naisd per
// environment, each from its own entry point) over the Pub/Sub emulator and PostgreSQL, with two replicas of every
// control-plane service running at once (two catalog outbox relays, matchers, reconcilers and dispatchers sharing
// their subscriptions and outboxes, as in a cluster).
import { randomBytes } from 'node:crypto';
import { EventBus, PubSubBus } from '@fasit/bus';
import { startProcessPlatform, tail } from '@fasit/launcher';
import { createTestDatabase } from '@fasit/testing';
import { deployPathScenarios } from './src/deploy-path.scenarios.js';

const emulator = process.env['PUBSUB_EMULATOR_HOST'];

deployPathScenarios(
  emulator
    ? 'separate service processes, two replicas of each control-plane service, over the Pub/Sub emulator and PostgreSQL'
    : 'MISSING: the Pub/Sub emulator',
  async ({ agentKeySecret, instructionKeys }, tuning) => {
    if (!emulator)
      throw new Error('this machine has no Pub/Sub emulator (scripts/services.sh start says why); embedded.e2e-spec.ts runs the same scenarios in-process');
    const db = await createTestDatabase('e2e');
    const project = `e2e-${randomBytes(4).toString('hex')}`;
    const platform = await startProcessPlatform({
      databaseUrl: db.url,
      pubsubEmulatorHost: emulator,
      pubsubProjectId: project,
      agentKeySecret,
      instructionKeys,
      logDir: `/tmp/fasit-${project}`,
      env: tuning,
      replicas: { 'catalog-api': 2, matcher: 2, reconciler: 2, dispatcher: 2 },
    });
    const agents: { service: string; url: string }[] = [];
    const bus = new EventBus(new PubSubBus({ projectId: project, emulatorHost: emulator, createTopics: true }), { maxDeliveries: 1 });
    return {
      apiUrl: platform.apiUrl,
      startAgent: async (a) => agents.push({ service: 'naisd', url: (await platform.startAgent(a)).url }),
      bus,
      // `<service>` and `<service>-<n>` (its other replicas) answer for `<service>`.
      endpoints: () => [...platform.processes.map((p) => ({ service: p.name.replace(/-\d+$/, ''), url: p.url })), ...agents],
      diagnostics: () => platform.processes.map((p) => `${p.name}:\n${tail(p.logFile, 8)}`).join('\n'),
      async stop() {
        await bus.bus.close();
        await platform.stop();
        await db.drop();
      },
    };
  },
);
