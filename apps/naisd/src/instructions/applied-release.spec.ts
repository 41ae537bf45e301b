import { describe, expect, it } from '@jest/globals';
import type { HelmHistoryEntry } from '../recovery/pending-release.js';
import { diidOfRevision, outcomeOf, revisionsToSearch } from './applied-release.js';

const at = (minute: number) => new Date(Date.UTC(2026, 11, 7, 10, minute));
const entry = (revision: number, status: string, updated: Date | null, description = ''): HelmHistoryEntry => ({ revision, status, updated, description });
const SKEW = 60_000;

describe('revisionsToSearch', () => {
  it('searches the revisions written since the instruction was issued (less the skew), newest first', () => {
    const history = [entry(1, 'superseded', at(0)), entry(2, 'superseded', at(9)), entry(3, 'failed', at(12)), entry(4, 'deployed', at(13))];
    expect(revisionsToSearch(history, at(10), SKEW).map((h) => h.revision)).toEqual([4, 3, 2]);
  });

  it('skips a pending revision (its helm was killed: the instruction runs again) and searches one of unknown time', () => {
    const history = [entry(1, 'superseded', null), entry(2, 'pending-upgrade', at(11)), entry(3, 'deployed', at(12)), entry(4, 'pending-rollback', at(13))];
    expect(revisionsToSearch(history, at(10), SKEW).map((h) => h.revision)).toEqual([3, 1]);
  });
});

describe('outcomeOf', () => {
  it.each([
    ['deployed', { revision: 3, status: 'deployed', error: null }],
    ['superseded', { revision: 3, status: 'deployed', error: null }],
    ['failed', { revision: 3, status: 'failed', error: 'Upgrade "x" failed: context deadline exceeded' }],
    ['uninstalling', undefined],
    ['pending-upgrade', undefined],
    ['something-new', undefined],
  ])('a revision %s records %j', (status, expected) => {
    expect(outcomeOf(entry(3, status, at(1), 'Upgrade "x" failed: context deadline exceeded'))).toEqual(expected);
  });

  it('a failed revision without a description still says which revision failed', () => {
    expect(outcomeOf(entry(2, 'failed', at(1)))).toEqual({ revision: 2, status: 'failed', error: 'revision 2 failed' });
  });
});

describe('diidOfRevision', () => {
  it('reads the diid label of what helm 4 prints', () => {
    const out =
      '{"name":"r","chart":"app","version":"2.0.0","appVersion":"1.0.0","labels":{"fasit.dev/diid":"bbb"},"namespace":"ns","revision":2,"status":"failed","deployedAt":"2026-12-07T07:13:15Z","applyMethod":"ssa"}';
    expect(diidOfRevision(out)).toBe('bbb');
  });

  it('a revision without labels, or without the label (written by someone else), has none', () => {
    expect(diidOfRevision('{"name":"r","revision":1}')).toBeNull();
    expect(diidOfRevision('{"labels":{"owner":"helm"}}')).toBeNull();
  });

  it.each([
    ['not JSON', 'Error: boom', /^helm get metadata output is not JSON: /],
    ['a list', '[]', /^helm get metadata output is not an object$/],
    ['labels as text', '{"labels":"fasit.dev/diid=x"}', /^helm get metadata output: labels is not an object$/],
    ['a diid that is not text', '{"labels":{"fasit.dev/diid":7}}', /^helm get metadata output: label fasit.dev\/diid is not a string$/],
  ])('refuses %s, naming the field', (_what, out, message) => {
    expect(() => diidOfRevision(out)).toThrow(message);
  });
});
