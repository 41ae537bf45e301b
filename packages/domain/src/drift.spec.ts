import { describe, expect, it } from '@jest/globals';
import { classifyDrift, isDriftPolicy, type DriftInput, type DriftVerdict } from './drift.js';

const now = new Date('2026-12-07T12:00:00Z');
const ago = (s: number) => new Date(now.getTime() - s * 1000);
const base: DriftInput = {
  now,
  inventory: { real: true, at: ago(10) },
  release: { chartVersion: '1.2.0', status: 'deployed', valuesHash: 'v1', lastDeployed: ago(100) },
  deployed: { version: '1.2.0', valuesHash: 'v1', at: ago(100) },
  inFlight: false,
  stuckGraceMs: 600_000,
};
const release = (patch: Partial<NonNullable<DriftInput['release']>>): Partial<DriftInput> => ({ release: { ...base.release!, ...patch } });

describe('classifyDrift', () => {
  it.each<[string, Partial<DriftInput>, DriftVerdict]>([
    ['the release as deployed', {}, { state: 'none' }],
    [
      'release absent from a real inventory',
      { release: null },
      { state: 'drift', kind: 'missing', message: 'the release is missing from the cluster; Fasit deployed version 1.2.0' },
    ],
    [
      'release uninstalled (history kept)',
      release({ status: 'uninstalled' }),
      { state: 'drift', kind: 'missing', message: 'the release is missing from the cluster; Fasit deployed version 1.2.0' },
    ],
    [
      'another chart version',
      release({ chartVersion: '1.1.0' }),
      { state: 'drift', kind: 'version', message: 'the cluster runs version 1.1.0; Fasit deployed 1.2.0' },
    ],
    ['other values', release({ valuesHash: 'v2' }), { state: 'drift', kind: 'values', message: 'the values helm holds differ from the values Fasit deployed' }],
    [
      'version and values both changed: the version is named',
      release({ chartVersion: '1.1.0', valuesHash: 'v2' }),
      { state: 'drift', kind: 'version', message: 'the cluster runs version 1.1.0; Fasit deployed 1.2.0' },
    ],
    [
      'pending-upgrade past the grace time',
      release({ status: 'pending-upgrade', lastDeployed: ago(601) }),
      { state: 'drift', kind: 'stuck', message: `the release is pending-upgrade since ${ago(601).toISOString()} with no deploy in flight` },
    ],
    [
      'failed past the grace time',
      release({ status: 'failed', lastDeployed: ago(3600) }),
      { state: 'drift', kind: 'stuck', message: `the release is failed since ${ago(3600).toISOString()} with no deploy in flight` },
    ],
    [
      'pending-install and helm gave no time: counted from the deploy, within the grace time',
      release({ status: 'pending-install', lastDeployed: null }),
      // decided again when the grace time ends (the sweep's timed recheck)
      { state: 'unknown', reason: 'the release is pending-install, within the grace time', recheckAt: ago(100 - 600) },
    ],
    [
      "pending-rollback within the grace time (someone's helm may be running)",
      release({ status: 'pending-rollback', lastDeployed: ago(60) }),
      { state: 'unknown', reason: 'the release is pending-rollback, within the grace time', recheckAt: ago(60 - 600) },
    ],
    ['no values hash reported (helm get values failed): values not compared', release({ valuesHash: null }), { state: 'none' }],
    [
      'no values hash recorded for the deploy (decided before hashes were kept): values not compared',
      { deployed: { ...base.deployed!, valuesHash: null }, ...release({ valuesHash: 'v2' }) },
      { state: 'none' },
    ],
    [
      'a dry-run agent: never drift',
      { inventory: { real: false, at: ago(10) }, release: null },
      { state: 'unknown', reason: 'the agent runs without a cluster: its inventory is not real' },
    ],
    ['no inventory yet', { inventory: null }, { state: 'unknown', reason: 'no inventory yet' }],
    ['a deploy in flight', { inFlight: true, release: null }, { state: 'unknown', reason: 'a deploy is in flight' }],
    ['nothing deployed (the latest deploy failed)', { deployed: null, release: null }, { state: 'unknown', reason: 'nothing deployed to compare with' }],
    [
      'an inventory older than the deploy',
      { inventory: { real: true, at: ago(200) }, release: null },
      { state: 'unknown', reason: 'no inventory since the last deploy' },
    ],
  ])('%s', (_, patch, verdict) => {
    expect(classifyDrift({ ...base, ...patch })).toEqual(verdict);
  });

  it('a pending release becomes stuck exactly when the grace time has passed', () => {
    const pending = { ...base, ...release({ status: 'pending-upgrade', lastDeployed: ago(600) }) };
    expect(classifyDrift({ ...pending, now: new Date(now.getTime() - 1) }).state).toBe('unknown');
    expect(classifyDrift(pending)).toMatchObject({ state: 'drift', kind: 'stuck' });
  });

  it.each([
    ['report', true],
    ['correct', true],
    ['Correct', false],
    ['', false],
    [null, false],
    ['fix', false],
  ])('policy %p is valid: %p', (v, ok) => {
    expect(isDriftPolicy(v)).toBe(ok);
  });
});
