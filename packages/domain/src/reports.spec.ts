import { describe, expect, it } from '@jest/globals';
import { inventoryOutcomes, statusAppends, type RecordedInventory } from './reports.js';
import type { DeployStatus } from './status.js';

describe('statusAppends: the deploy-log rows a batch of reports appends, as if handled one by one', () => {
  it.each<[string, Record<string, DeployStatus[]>, [string, DeployStatus][], boolean[]]>([
    ['a first status', { a: ['sent'] }, [['a', 'installing']], [true]],
    ['a redelivered status', { a: ['sent', 'deployed'] }, [['a', 'deployed']], [false]],
    [
      'the same status twice in one batch: once',
      { a: ['sent'] },
      [
        ['a', 'deployed'],
        ['a', 'deployed'],
      ],
      [true, false],
    ],
    [
      'installing, then deployed, in one batch',
      { a: ['sent'] },
      [
        ['a', 'installing'],
        ['a', 'deployed'],
      ],
      [true, true],
    ],
    [
      'deployed, then a late installing, in one batch',
      { a: ['sent'] },
      [
        ['a', 'deployed'],
        ['a', 'installing'],
      ],
      [true, false],
    ],
    ['a late installing after a recorded failure', { a: ['sent', 'failed'] }, [['a', 'installing']], [false]],
    ['deployed after failed (both terminal) is kept', { a: ['sent', 'failed'] }, [['a', 'deployed']], [true]],
    [
      'diids are independent',
      { a: ['sent', 'deployed'] },
      [
        ['a', 'installing'],
        ['b', 'installing'],
      ],
      [false, true],
    ],
  ])('%s', (_, recorded, reports, expected) => {
    expect(
      statusAppends(
        new Map(Object.entries(recorded)),
        reports.map(([diid, status]) => ({ diid, status })),
      ),
    ).toEqual(expected);
  });
});

const at = (s: number) => new Date(Date.UTC(2026, 11, 7, 12, 0, s));

describe('inventoryOutcomes: which inventories replace the recorded one, and which are announced', () => {
  it.each<[string, Record<string, RecordedInventory>, [string, boolean, number][], { applied: boolean; announced: boolean }[]]>([
    ['the first, dry-run: applied, not announced', {}, [['e', false, 1]], [{ applied: true, announced: false }]],
    ['the first, real: announced', {}, [['e', true, 1]], [{ applied: true, announced: true }]],
    ['older than the recorded one: nothing', { e: { real: true, takenAt: at(5) } }, [['e', true, 4]], [{ applied: false, announced: false }]],
    ['as old as the recorded one (a redelivery): replaces it', { e: { real: true, takenAt: at(5) } }, [['e', true, 5]], [{ applied: true, announced: true }]],
    ['dry-run replacing a real one: announced', { e: { real: true, takenAt: at(1) } }, [['e', false, 2]], [{ applied: true, announced: true }]],
    [
      'newer then older of one environment in a batch: the older changes nothing',
      {},
      [
        ['e', true, 9],
        ['e', true, 3],
      ],
      [
        { applied: true, announced: true },
        { applied: false, announced: false },
      ],
    ],
    [
      'real then dry-run in a batch: the dry-run one forgets the real one, announced',
      {},
      [
        ['e', true, 1],
        ['e', false, 2],
      ],
      [
        { applied: true, announced: true },
        { applied: true, announced: true },
      ],
    ],
    [
      'environments are independent',
      { e: { real: false, takenAt: at(5) } },
      [
        ['e', false, 1],
        ['f', false, 1],
      ],
      [
        { applied: false, announced: false },
        { applied: true, announced: false },
      ],
    ],
  ])('%s', (_, recorded, reports, expected) => {
    expect(
      inventoryOutcomes(
        new Map(Object.entries(recorded)),
        reports.map(([environmentId, real, s]) => ({ environmentId, real, takenAt: at(s) })),
      ),
    ).toEqual(expected);
  });
});
