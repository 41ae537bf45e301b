import { describe, expect, it } from '@jest/globals';
import { DuplicatingBus } from './duplicating-bus.js';
import { InProcessBus } from './in-process-bus.js';

describe("DuplicatingBus (the chaos run's duplicated, late delivery)", () => {
  it('sends the chosen share of messages again 1-2 times, later, with the same attributes: consumers get them after newer ones', async () => {
    // random() answers in turn: duplicate m1? yes (0.1 < 0.5), how many: 2 (0.9), delays 0.3 and 0.6 of 3 s;
    // duplicate m2? no (0.7).
    const answers = [0.1, 0.9, 0.3, 0.6, 0.7];
    const bus = new DuplicatingBus(new InProcessBus(), 0.5, () => answers.shift() ?? 0.99);
    const got: string[] = [];
    const stop = await bus.subscribe('t', 't.c', (m) => Promise.resolve(void got.push(`${m.data.toString()}/${m.attributes['eventId']}`)), { maxInFlight: 1 });
    await bus.publish('t', Buffer.from('m1'), { eventId: 'e1' });
    await bus.publish('t', Buffer.from('m2'), { eventId: 'e2' });
    const deadline = Date.now() + 5000;
    while (got.length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(got).toEqual(['m1/e1', 'm2/e2', 'm1/e1', 'm1/e1']);
    expect(bus.copies).toBe(2);
    await stop();
    await bus.close();
  });

  it('sends nothing more at a share of 0, and no late copy after close', async () => {
    const bus = new DuplicatingBus(new InProcessBus(), 0);
    const got: string[] = [];
    await bus.subscribe('t', 't.c', (m) => Promise.resolve(void got.push(m.data.toString())));
    for (let i = 0; i < 20; i++) await bus.publish('t', Buffer.from(`m${i}`), {});
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toHaveLength(20);
    expect(bus.copies).toBe(0);
    const closing = new DuplicatingBus(new InProcessBus(), 1, () => 0);
    await closing.publish('t', Buffer.from('x'), {});
    await closing.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(closing.copies).toBe(0);
  });
});
