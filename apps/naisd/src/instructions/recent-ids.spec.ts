import { describe, expect, it } from '@jest/globals';
import { RecentIds } from './recent-ids.js';

describe('RecentIds', () => {
  it('remembers ids up to its capacity and forgets the oldest first', () => {
    const ids = new RecentIds(2);
    ids.remember('a');
    ids.remember('b');
    ids.remember('a'); // refreshed: now the newest
    ids.remember('c');
    expect([ids.has('a'), ids.has('b'), ids.has('c')]).toEqual([true, false, true]);
  });
});
