import { describe, expect, it } from '@jest/globals';
import { rankMatches, retryOutlook } from './explain.js';

const a = (id: string, target: Record<string, string>, at: string) => ({ id, feature: 'f', target, createdAt: new Date(at) });

describe('rankMatches', () => {
  const labels = { tenant: 'acme', name: 'prod', kind: 'tenant', zone: 'west' };
  it.each([
    {
      name: 'more target labels win; fewer lose as less specific',
      list: [a('1', { tenant: 'acme' }, '2026-01-02'), a('2', { tenant: 'acme', name: 'prod' }, '2026-01-01')],
      expected: [
        ['2', 'winner', false],
        ['1', 'fewer-labels', false],
      ],
    },
    {
      name: 'equal specificity: the newer wins, the older loses, a different target is a conflict',
      list: [a('1', { tenant: 'acme' }, '2026-01-01'), a('2', { zone: 'west' }, '2026-01-03')],
      expected: [
        ['2', 'winner', false],
        ['1', 'older', true],
      ],
    },
    {
      name: 'equal specificity and time: the smaller id wins',
      list: [a('b', { tenant: 'acme' }, '2026-01-01'), a('a', { zone: 'west' }, '2026-01-01')],
      expected: [
        ['a', 'winner', false],
        ['b', 'tie-by-id', true],
      ],
    },
    { name: 'targets that do not match are not listed', list: [a('1', { tenant: 'other' }, '2026-01-01')], expected: [] },
  ])('$name', ({ list, expected }) => {
    expect(rankMatches(list, labels).map((r) => [r.assignment.id, r.outcome, r.conflict])).toEqual(expected);
  });

  it('says why in words', () => {
    const ranked = rankMatches([a('1', { tenant: 'acme' }, '2026-01-02'), a('2', { tenant: 'acme', name: 'prod' }, '2026-01-01')], labels);
    expect(ranked.map((r) => r.reason)).toEqual(['the most specific match (2 target labels)', "less specific: 1 target label against the winner's 2"]);
  });
});

describe('retryOutlook', () => {
  const policy = { maxAttempts: 3, baseDelayMs: 60_000 };
  const at = new Date('2026-01-01T00:00:00Z');
  it.each([
    { failures: 0, nextAt: null, exhausted: false },
    { failures: 1, nextAt: '2026-01-01T00:01:00.000Z', exhausted: false },
    { failures: 3, nextAt: '2026-01-01T00:04:00.000Z', exhausted: false },
    { failures: 4, nextAt: null, exhausted: true },
  ])('$failures failures', ({ failures, nextAt, exhausted }) => {
    const r = retryOutlook(failures, at, policy);
    expect({ nextAt: r.nextAt?.toISOString() ?? null, exhausted: r.exhausted }).toEqual({ nextAt, exhausted });
  });
});
