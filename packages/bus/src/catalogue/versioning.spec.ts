import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { aggregateVersionsOf, aggregatesOf, stampVersions } from './versioning.js';
import { topics, type TopicName } from './topics.js';
import { validatePayload } from './validation.js';

const env = randomUUID();
const diid = randomUUID();

/** A valid draft (no versions) of every topic that carries them; a topic missing here fails the first test. */
const drafts: Partial<Record<TopicName, Record<string, unknown>>> = {
  'catalog.assignment.changed.v1': {
    version: 'v1',
    assignmentId: randomUUID(),
    feature: 'f',
    featureVersion: '1.0.0',
    target: { team: 'a' },
    active: true,
    replacedAssignmentId: null,
  },
  'catalog.environment.changed.v1': {
    version: 'v1',
    environmentId: env,
    tenant: 't',
    name: 'dev',
    kind: 'tenant',
    labels: {},
    reconcile: true,
    deleted: false,
  },
  'catalog.config.changed.v1': { version: 'v1', feature: 'f', environmentId: null, key: 'image.tag' },
  'catalog.environment-value.changed.v1': { version: 'v1', environmentId: env, key: 'project' },
  'catalog.feature-toggle.changed.v1': { version: 'v1', environmentId: env, feature: 'f', disabled: true },
  'catalog.redeploy.requested.v1': { version: 'v1', environmentId: env, feature: 'f', requestedBy: 'ops' },
  'catalog.uninstall.requested.v1': { version: 'v1', diid, environmentId: env, tenant: 't', environment: 'dev', release: 'loki', requestedBy: 'ops' },
  'reconciler.deploy.requested.v1': {
    version: 'v1',
    diid,
    environmentId: env,
    tenant: 't',
    environment: 'dev',
    assignmentId: randomUUID(),
    feature: 'f',
    featureVersion: '1.0.0',
    chart: 'oci://r/f',
    chartDigest: `sha256:${'0'.repeat(64)}`,
    hash: 'h',
    timeoutMs: 1000,
    sealedValues: 'sealed',
  },
  'dispatcher.deploy-status.changed.v1': { version: 'v1', diid, environmentId: env, feature: 'f', status: 'deployed', hash: 'h', error: null },
  'dispatcher.inventory.reported.v1': { version: 'v1', environmentId: env, real: true },
};
const versioned = (Object.keys(topics) as TopicName[]).filter((t) => !t.startsWith('naisd.') && t !== 'matcher.targets.changed.v1');

describe('aggregate versions in the contracts', () => {
  it.each(versioned)('%s: required, an integer ≥ 1; missing or malformed, the error names aggregateVersion', (topic) => {
    const draft = drafts[topic];
    expect(draft).toBeDefined();
    expect(() => validatePayload(topic, stampVersions(topic, draft, [1]))).not.toThrow();
    expect(() => validatePayload(topic, draft)).toThrow(
      `${topic}: payload does not match the ${topic} contract: / must have required property 'aggregateVersion'`,
    );
    for (const [bad, error] of [
      [0, 'must be >= 1'],
      [-3, 'must be >= 1'],
      [2.5, 'must be integer'],
      ['7', 'must be integer'],
      [null, 'must be integer'],
    ] as const) {
      expect(() => validatePayload(topic, { ...draft, aggregateVersion: bad })).toThrow(`/aggregateVersion ${error}`);
    }
  });

  it('an announcement carries one per pair, each required', () => {
    const draft = {
      version: 'v1',
      reason: 'winner',
      pairs: [
        { environmentId: env, feature: 'a' },
        { environmentId: env, feature: 'b' },
      ],
    };
    const stamped = stampVersions('matcher.targets.changed.v1', draft, [4, 9]);
    expect(() => validatePayload('matcher.targets.changed.v1', stamped)).not.toThrow();
    expect(aggregateVersionsOf('matcher.targets.changed.v1', stamped)).toEqual([
      { aggregate: `matcher.targets.changed.v1|pair:${env}:a`, version: 4 },
      { aggregate: `matcher.targets.changed.v1|pair:${env}:b`, version: 9 },
    ]);
    expect(() => validatePayload('matcher.targets.changed.v1', draft)).toThrow("/pairs/0 must have required property 'aggregateVersion'");
  });

  it("the agents' topics carry none: an older naisd's report is understood as it always was", () => {
    const report = { version: 'v1', tenant: 't', environment: 'dev', sentAt: '2026-12-07T10:00:00.000Z', report: { type: 'heartbeat', agentVersion: '0.1.0' } };
    expect(() => validatePayload('naisd.status.reported.v1', report)).not.toThrow();
    expect(aggregatesOf('naisd.status.reported.v1', report)).toEqual([]);
    expect(aggregateVersionsOf('naisd.status.reported.v1', report)).toEqual([]);
  });

  it('versions count per topic and aggregate: an environment change and an environment value change of one environment are two streams', () => {
    const changed = aggregatesOf('catalog.environment.changed.v1', drafts['catalog.environment.changed.v1']);
    const value = aggregatesOf('catalog.environment-value.changed.v1', drafts['catalog.environment-value.changed.v1']);
    expect(changed).toEqual([`catalog.environment.changed.v1|environment:${env}`]);
    expect(value).toEqual([`catalog.environment-value.changed.v1|environment:${env}`]);
  });
});
