import { describe, expect, it } from '@jest/globals';
import { parseHelmHistory, pendingRecovery, type HelmHistoryEntry } from './pending-release.js';

const h = (...xs: [number, string][]): HelmHistoryEntry[] => xs.map(([revision, status]) => ({ revision, status }));

describe('pendingRecovery', () => {
  it.each([
    ['no release', h(), { kind: 'none' }],
    ['a deployed release', h([1, 'superseded'], [2, 'deployed']), { kind: 'none' }],
    ['a failed upgrade (not locked)', h([1, 'deployed'], [2, 'failed']), { kind: 'none' }],
    [
      'an upgrade killed after a deploy',
      h([1, 'deployed'], [2, 'pending-upgrade']),
      { kind: 'rollback', pendingRevision: 2, pendingStatus: 'pending-upgrade', toRevision: 1 },
    ],
    [
      'a rollback killed',
      h([1, 'superseded'], [2, 'deployed'], [3, 'pending-rollback']),
      { kind: 'rollback', pendingRevision: 3, pendingStatus: 'pending-rollback', toRevision: 2 },
    ],
    [
      'an upgrade killed after a failed one: the newest once deployed',
      h([1, 'superseded'], [2, 'superseded'], [3, 'failed'], [4, 'pending-upgrade']),
      { kind: 'rollback', pendingRevision: 4, pendingStatus: 'pending-upgrade', toRevision: 2 },
    ],
    [
      'history out of order',
      h([2, 'pending-upgrade'], [1, 'deployed']),
      { kind: 'rollback', pendingRevision: 2, pendingStatus: 'pending-upgrade', toRevision: 1 },
    ],
    ['an install killed', h([1, 'pending-install']), { kind: 'uninstall', pendingRevision: 1, pendingStatus: 'pending-install' }],
    [
      'an upgrade killed after only failures',
      h([1, 'failed'], [2, 'pending-upgrade']),
      { kind: 'uninstall', pendingRevision: 2, pendingStatus: 'pending-upgrade' },
    ],
  ])('%s', (_what, history, expected) => {
    expect(pendingRecovery(history)).toEqual(expected);
  });
});

describe('parseHelmHistory', () => {
  it('reads what helm 4 prints', () => {
    const out = '[{"revision":1,"updated":"2026-12-07T05:00:00Z","status":"deployed","chart":"demo-0.1.0","app_version":"","description":"Install complete"}]';
    expect(parseHelmHistory(out)).toEqual([{ revision: 1, status: 'deployed', updated: new Date('2026-12-07T05:00:00Z'), description: 'Install complete' }]);
  });

  it('reads a time that is not one, or a description that is not text, as unknown rather than failing', () => {
    expect(parseHelmHistory('[{"revision":2,"status":"failed","updated":"yesterday","description":7}]')).toEqual([
      { revision: 2, status: 'failed', updated: null, description: '' },
    ]);
  });

  it.each([
    ['not JSON', 'Error: boom', /^helm history output is not JSON: /],
    ['not a list', '{"revision":1}', /^helm history output is not a list$/],
    ['a revision that is text', '[{"revision":"1","status":"deployed"}]', /^helm history entry 0: revision is not a positive integer$/],
    ['a negative revision', '[{"revision":1,"status":"deployed"},{"revision":-2,"status":"x"}]', /^helm history entry 1: revision is not a positive integer$/],
    ['no status', '[{"revision":1}]', /^helm history entry 0: status is not a string$/],
    ['null entry', '[null]', /^helm history entry 0: revision is not a positive integer$/],
  ])('refuses %s, naming the field', (_what, out, message) => {
    expect(() => parseHelmHistory(out)).toThrow(message);
  });
});
