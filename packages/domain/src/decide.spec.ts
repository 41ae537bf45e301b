import { describe, expect, it } from '@jest/globals';
import { decide, missingDependencies, type DecisionInput, type DriftFacts } from './decide.js';

const now = new Date('2026-11-24T12:00:00Z');
const ago = (s: number) => new Date(now.getTime() - s * 1000);
const base: DecisionInput = {
  now,
  reconcile: true,
  disabled: false,
  environmentKind: 'tenant',
  featureKinds: ['tenant'],
  agentSeenAt: ago(10),
  healthWindowMs: 180_000,
  dependencies: [],
  deployedFeatures: new Set(),
  render: { ok: true, hash: 'h2' },
  latestDeploy: null,
  pendingRequest: null,
  requestTimeoutMs: 300_000,
  failures: { count: 0, lastAt: null },
  retry: { maxAttempts: 3, baseDelayMs: 60_000 },
  force: false,
};
const deployed = (hash: string) => ({ diid: 'd1', status: 'deployed' as const, hash, at: ago(100) });
const drift = (policy: 'report' | 'correct', count = 0, lastAt: Date | null = null): DriftFacts => ({
  kind: 'values',
  message: 'the values differ',
  policy,
  corrections: { count, lastAt },
});
const failed = (hash: string) => ({ diid: 'd1', status: 'failed' as const, hash, at: ago(100) });

describe('decide', () => {
  it.each<[string, Partial<DecisionInput>, string, string?]>([
    ['first deploy', {}, 'deploy', 'first deploy'],
    ['reconcile off', { reconcile: false }, 'disabled'],
    ['disabled feature', { disabled: true }, 'disabled'],
    ['kind not allowed', { environmentKind: 'onprem' }, 'kind-mismatch', 'runs in tenant environments, not onprem'],
    ['agent never seen', { agentSeenAt: null }, 'unhealthy', 'naisd has not reported yet'],
    ['agent stale', { agentSeenAt: ago(600) }, 'unhealthy'],
    ['dependency missing', { dependencies: [{ allOf: ['crds'] }] }, 'missing-deps', 'missing dependencies: crds'],
    ['dependency met', { dependencies: [{ allOf: ['crds'], anyOf: ['loki', 'tempo'] }], deployedFeatures: new Set(['crds', 'tempo']) }, 'deploy'],
    ['render error', { render: { ok: false, action: 'render-error', message: 'x: boom' } }, 'render-error', 'x: boom'],
    ['missing config', { render: { ok: false, action: 'missing-config', message: 'missing required chart config: a' } }, 'missing-config'],
    ['deploy in flight', { latestDeploy: { ...deployed('h1'), status: 'installing' } }, 'in-progress'],
    ['requested, not yet dispatched', { pendingRequest: { diid: 'd9', hash: 'h2', at: ago(5) } }, 'in-progress', 'waiting for the dispatcher'],
    ['request lost after the timeout', { pendingRequest: { diid: 'd9', hash: 'h2', at: ago(600) } }, 'deploy'],
    ['request seen by the dispatcher', { pendingRequest: { diid: 'd1', hash: 'h2', at: ago(5) }, latestDeploy: deployed('h2') }, 'unchanged'],
    ['unchanged', { latestDeploy: deployed('h2') }, 'unchanged'],
    ['changed', { latestDeploy: deployed('h1') }, 'deploy', 'desired state changed'],
    ['redeploy forces', { latestDeploy: deployed('h2'), force: true }, 'deploy', 'redeploy requested'],
    ['failed, backing off', { latestDeploy: failed('h2'), failures: { count: 1, lastAt: ago(30) } }, 'unchanged', 'retry 1 of 3 at 2026-11-24T12:00:30.000Z'],
    ['failed, retry due', { latestDeploy: failed('h2'), failures: { count: 1, lastAt: ago(61) } }, 'deploy', 'retry 1 of 3'],
    [
      'second retry waits twice as long',
      { latestDeploy: failed('h2'), failures: { count: 2, lastAt: ago(90) } },
      'unchanged',
      'retry 2 of 3 at 2026-11-24T12:00:30.000Z',
    ],
    ['second retry due', { latestDeploy: failed('h2'), failures: { count: 2, lastAt: ago(121) } }, 'deploy', 'retry 2 of 3'],
    ['the last retry', { latestDeploy: failed('h2'), failures: { count: 3, lastAt: ago(241) } }, 'deploy', 'retry 3 of 3'],
    [
      'retries exhausted after the first deploy and maxAttempts retries failed',
      { latestDeploy: failed('h2'), failures: { count: 4, lastAt: ago(9999) } },
      'retry-exhausted',
      'failed 4 times',
    ],
    [
      'no retries at all',
      { latestDeploy: failed('h2'), failures: { count: 1, lastAt: ago(9999) }, retry: { maxAttempts: 0, baseDelayMs: 60_000 } },
      'retry-exhausted',
    ],
    ['a failure of an older state does not block a new one', { latestDeploy: failed('h1'), failures: { count: 0, lastAt: null } }, 'deploy'],
    ['drift, report policy: recorded, not acted on', { latestDeploy: deployed('h2'), drift: drift('report') }, 'unchanged', 'desired state is deployed'],
    ['drift, correct policy: redeploy', { latestDeploy: deployed('h2'), drift: drift('correct') }, 'deploy', 'correcting drift (values): the values differ'],
    [
      'drift corrected once, still there: waits as a retry does',
      { latestDeploy: deployed('h2'), drift: drift('correct', 1, ago(30)) },
      'unchanged',
      'drift (values): the values differ; correction 2 of 3 at 2026-11-24T12:00:30.000Z',
    ],
    [
      'drift corrected once, the wait is over',
      { latestDeploy: deployed('h2'), drift: drift('correct', 1, ago(61)) },
      'deploy',
      'correcting drift (values): the values differ (correction 2 of 3)',
    ],
    [
      'drift corrected maxAttempts times: given up',
      { latestDeploy: deployed('h2'), drift: drift('correct', 3, ago(9999)) },
      'retry-exhausted',
      'still there after 3 corrections',
    ],
    [
      'drift with no retries configured: corrected once',
      { latestDeploy: deployed('h2'), drift: drift('correct'), retry: { maxAttempts: 0, baseDelayMs: 60_000 } },
      'deploy',
      'correcting drift',
    ],
    [
      'drift with no retries configured, corrected once: given up',
      { latestDeploy: deployed('h2'), drift: drift('correct', 1, ago(9999)), retry: { maxAttempts: 0, baseDelayMs: 60_000 } },
      'retry-exhausted',
    ],
    [
      'drift while the correction failed: the failed-deploy retries apply',
      { latestDeploy: failed('h2'), failures: { count: 1, lastAt: ago(30) }, drift: drift('correct', 1, ago(30)) },
      'unchanged',
      'retry 1 of 3 at',
    ],
    ['drift while a deploy is in flight: in progress', { latestDeploy: { ...deployed('h2'), status: 'installing' }, drift: drift('correct') }, 'in-progress'],
    ['drift in a disabled feature is not corrected', { latestDeploy: deployed('h2'), disabled: true, drift: drift('correct') }, 'disabled'],
    ['drift of an agent that is silent is not corrected', { latestDeploy: deployed('h2'), agentSeenAt: ago(600), drift: drift('correct') }, 'unhealthy'],
  ])('%s → %s', (...[, patch, action, message]) => {
    const d = decide({ ...base, ...patch });
    expect(d.action).toBe(action);
    if (message) expect(d.message).toContain(message);
    // Only a deploy that corrects drift is counted against it.
    expect(d.correctsDrift ?? false).toBe(action === 'deploy' && d.message.startsWith('correcting drift'));
  });

  it.each<[string, Partial<DecisionInput>, Date | undefined]>([
    ['backing off after a failure: when the retry is due', { latestDeploy: failed('h2'), failures: { count: 2, lastAt: ago(30) } }, ago(30 - 120)],
    ['a request the dispatcher has not recorded: when it times out', { pendingRequest: { diid: 'd9', hash: 'h2', at: ago(5) } }, ago(5 - 300)],
    ['drift corrected once, still there: when the next correction is due', { latestDeploy: deployed('h2'), drift: drift('correct', 1, ago(30)) }, ago(30 - 60)],
    ['deployed: waits on nothing', { latestDeploy: deployed('h2') }, undefined],
    ['a deploy: waits on nothing', {}, undefined],
    ['unhealthy: waits on a heartbeat, not on time', { agentSeenAt: ago(600) }, undefined],
  ])('%s (recheckAt)', (_, patch, at) => {
    expect(decide({ ...base, ...patch }).recheckAt).toEqual(at);
  });

  it('deciding again while backing off gives the same decision (nothing new to append)', () => {
    const waiting = { ...base, latestDeploy: failed('h2'), failures: { count: 1, lastAt: ago(5) } };
    expect(decide({ ...waiting, now: new Date(now.getTime() + 20_000) })).toEqual(decide(waiting));
  });

  it('lists every missing dependency once', () => {
    expect(missingDependencies([{ allOf: ['a', 'b'] }, { allOf: ['a'], anyOf: ['x', 'y'] }], new Set(['b']))).toEqual(['a', 'one of x|y']);
  });
});
