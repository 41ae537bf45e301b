import { describe, expect, it } from '@jest/globals';
import {
  assignmentState,
  canonicalJson,
  valuesHash,
  deriveAgentKey,
  desiredStateHash,
  dnsLabelProblem,
  labelKeyProblem,
  labelValueProblem,
  matches,
  pairState,
  parseSelector,
  selectWinners,
  signReport,
  verifyReport,
} from './index.js';

describe('matches (target ⊆ labels)', () => {
  it.each([
    [{}, { tenant: 'acme' }, true],
    [{ tenant: 'acme' }, { tenant: 'acme', env: 'prod' }, true],
    [{ tenant: 'acme', env: 'prod' }, { tenant: 'acme' }, false],
    [{ tenant: 'acme' }, { tenant: 'Acme' }, false],
  ])('%j against %j → %s', (target, labels, expected) => {
    expect(matches(target, labels)).toBe(expected);
  });
});

describe('selectWinners', () => {
  const a = (id: string, target: Record<string, string>, t: number, feature = 'loki') => ({ id, feature, target, createdAt: new Date(t) });
  const env = { tenant: 'acme', env: 'prod', region: 'eu' };

  it.each([
    ['more labels win over newer', [a('1', { tenant: 'acme', env: 'prod' }, 1), a('2', { tenant: 'acme' }, 2)], '1'],
    ['newer wins on equal count', [a('1', { tenant: 'acme' }, 1), a('2', { env: 'prod' }, 2)], '2'],
    ['id breaks a tie in time', [a('b', { tenant: 'acme' }, 1), a('a', { env: 'prod' }, 1)], 'a'],
    ['non-matching ignored', [a('1', { tenant: 'other', env: 'prod', region: 'eu' }, 9), a('2', {}, 1)], '2'],
  ])('%s', (_n, list, winner) => {
    expect(selectWinners(list, env).get('loki')?.winner.id).toBe(winner);
  });

  it('reports equal-specificity conflicts with different keys, per feature', () => {
    const w = selectWinners([a('1', { tenant: 'acme' }, 1), a('2', { env: 'prod' }, 2), a('3', { tenant: 'acme' }, 3, 'tempo')], env);
    expect(w.get('loki')?.conflicts.map((c) => c.id)).toEqual(['1']);
    expect(w.get('tempo')?.winner.id).toBe('3');
  });
});

describe('labels and names', () => {
  it.each([
    ['tenant', undefined],
    ['nais.io/team', undefined],
    ['-bad', 'must be 1-63'],
    ['UPPER.example/x', 'prefix must be a DNS subdomain'],
    ['a'.repeat(64), 'must be 1-63'],
  ])('label key %s', (key, problem) => {
    if (problem) expect(labelKeyProblem(key)).toContain(problem);
    else expect(labelKeyProblem(key)).toBeUndefined();
  });
  it('label values', () => {
    expect(labelValueProblem('k', '')).toBeUndefined();
    expect(labelValueProblem('k', 'prod-1')).toBeUndefined();
    expect(labelValueProblem('k', 'has space')).toContain('value "has space"');
  });
  it('DNS labels', () => {
    expect(dnsLabelProblem('tenant', 'acme')).toBeUndefined();
    expect(dnsLabelProblem('tenant', 'Acme')).toContain('must be a DNS label');
    expect(dnsLabelProblem('tenant', 'a')).toContain('at least 2');
  });
  it('selectors', () => {
    expect(parseSelector('tenant=acme, env=prod')).toEqual({ tenant: 'acme', env: 'prod' });
    expect(() => parseSelector('tenant')).toThrow('expected key=value');
  });
});

describe('hashing', () => {
  it('is independent of key order and changes with version and digest', () => {
    const h = desiredStateHash({ b: 1, a: { y: 2, x: [1, { d: 1, c: 2 }] } }, '1.0.0', 'sha256:abc');
    expect(desiredStateHash({ a: { x: [1, { c: 2, d: 1 }], y: 2 }, b: 1 }, '1.0.0', 'sha256:abc')).toBe(h);
    expect(desiredStateHash({ b: 1, a: { y: 2, x: [1, { d: 1, c: 2 }] } }, '1.0.1', 'sha256:abc')).not.toBe(h);
    expect(desiredStateHash({ b: 1, a: { y: 2, x: [1, { d: 1, c: 2 }] } }, '1.0.0', 'sha256:abd')).not.toBe(h);
    expect(canonicalJson({ b: [2, 1], a: null })).toBe('{"a":null,"b":[2,1]}');
  });

  it('valuesHash: SHA-256 of the canonical JSON, key order aside; no values (helm prints null) are an empty map', () => {
    expect(valuesHash({ b: 1, a: { d: [1], c: 'x' } })).toBe(valuesHash({ a: { c: 'x', d: [1] }, b: 1 }));
    expect(valuesHash({ a: 1 })).toBe('015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862');
    expect(valuesHash(null)).toBe(valuesHash({}));
    expect(valuesHash({ a: 1 })).not.toBe(valuesHash({ a: '1' }));
  });
});

describe('status', () => {
  const t = (s: number) => new Date(s * 1000);
  it.each([
    [{ disabled: true, deploy: { status: 'deployed' as const, at: t(1) } }, 'DISABLED'],
    [{ disabled: false, deploy: { status: 'deployed' as const, at: t(1) } }, 'DEPLOYED'],
    [{ disabled: false, deploy: { status: 'installing' as const, at: t(1) } }, 'PENDING'],
    [{ disabled: false, deploy: { status: 'failed' as const, at: t(1), error: 'boom' } }, 'FAILED'],
    [{ disabled: false, decision: { action: 'render-error' as const, message: 'x', at: t(2) }, deploy: { status: 'deployed' as const, at: t(1) } }, 'FAILED'],
    [{ disabled: false, decision: { action: 'render-error' as const, message: 'x', at: t(1) }, deploy: { status: 'deployed' as const, at: t(2) } }, 'DEPLOYED'],
    [{ disabled: false, decision: { action: 'deploy' as const, message: 'x', at: t(1) } }, 'PENDING'],
    [{ disabled: false }, 'UNKNOWN'],
  ])('pair %j → %s', (facts, state) => {
    expect(pairState(facts).state).toBe(state);
  });

  it.each([
    [[], 'NO_TARGETS'],
    [['UNKNOWN', 'UNKNOWN'], 'UNKNOWN'],
    [['DISABLED'], 'DISABLED'],
    [['DEPLOYED', 'FAILED', 'PENDING'], 'FAILED'],
    [['DEPLOYED', 'DISABLED'], 'DEPLOYED'],
    [['DEPLOYED', 'PENDING'], 'PENDING'],
  ] as const)('assignment %j → %s', (states, expected) => {
    expect(assignmentState(states)).toBe(expected);
  });
});

describe('agent identity', () => {
  it("accepts a report signed by the environment's own key only", () => {
    const own = deriveAgentKey('secret', 'acme', 'prod');
    const other = deriveAgentKey('secret', 'acme', 'dev');
    const body = '{"report":1}';
    expect(verifyReport(own, body, signReport(own, body))).toBe(true);
    expect(verifyReport(own, body, signReport(other, body))).toBe(false);
    expect(verifyReport(own, body + ' ', signReport(own, body))).toBe(false);
    expect(verifyReport(own, body, 'zz')).toBe(false);
  });
});

describe('values sealed for one agent', () => {
  it("open only with that agent's key and for that instruction", async () => {
    const { openForAgent, sealForAgent } = await import('./agent-identity.js');
    const dev = deriveAgentKey('secret', 'acme', 'dev');
    const prod = deriveAgentKey('secret', 'acme', 'prod');
    const values = { auth: { token: 's3cret' }, replicas: 2 };
    const sealed = sealForAgent(dev, 'diid-1', values);
    expect(sealed).not.toContain('s3cret');
    expect(openForAgent(dev, 'diid-1', sealed)).toEqual(values);
    expect(() => openForAgent(prod, 'diid-1', sealed)).toThrow("not sealed for this environment's agent key");
    expect(() => openForAgent(dev, 'diid-2', sealed)).toThrow("not sealed for this environment's agent key");
    expect(() => openForAgent(dev, 'diid-1', 'garbage')).toThrow('malformed');
  });

  it("open with any of the agent's keys while they rotate, and with none of another agent's", async () => {
    const { openForAgent, sealForAgent } = await import('./agent-identity.js');
    const [next, old] = [deriveAgentKey('next-secret', 'acme', 'dev'), deriveAgentKey('secret', 'acme', 'dev')];
    expect(openForAgent([next, old], 'diid-1', sealForAgent(old, 'diid-1', { a: 1 }))).toEqual({ a: 1 });
    expect(openForAgent([next, old], 'diid-1', sealForAgent(next, 'diid-1', { a: 2 }))).toEqual({ a: 2 });
    const prod = deriveAgentKey('secret', 'acme', 'prod');
    expect(() => openForAgent([next, old], 'diid-1', sealForAgent(prod, 'diid-1', { a: 3 }))).toThrow("not sealed for this environment's agent key");
  });
});
