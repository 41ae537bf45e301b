import { describe, expect, it } from '@jest/globals';
import { InMemoryAppliedInstructions } from './applied-instructions.js';

const at = (minute: number) => new Date(Date.UTC(2026, 11, 7, 10, minute));

describe('InMemoryAppliedInstructions', () => {
  it('remembers an applied instruction until it expires, then forgets it: the memory is bounded by expiry', async () => {
    const applied = new InMemoryAppliedInstructions();
    await applied.remember('a', at(30), at(0));
    await applied.remember('b', at(60), at(0));
    expect([await applied.has('a', at(29)), await applied.has('b', at(29)), await applied.has('c', at(29))]).toEqual([true, true, false]);
    expect(await applied.has('a', at(30))).toBe(false);
    expect(applied.size).toBe(1);
    await applied.remember('c', at(90), at(61));
    expect(applied.size).toBe(1);
  });

  it('finds what this process applied as applied by this naisd, and nothing else', async () => {
    const applied = new InMemoryAppliedInstructions();
    await applied.remember('a', at(30), at(0));
    expect([await applied.find({ diid: 'a' }, at(1)), await applied.find({ diid: 'b' }, at(1))]).toEqual([{ by: 'this-naisd' }, undefined]);
  });

  it('does not keep an instruction that has already expired', async () => {
    const applied = new InMemoryAppliedInstructions();
    await applied.remember('old', at(5), at(10));
    expect([await applied.has('old', at(10)), applied.size]).toEqual([false, 0]);
  });
});
