import { describe, expect, it } from '@jest/globals';
import { inventoryTime } from './report.service.js';

const now = new Date('2026-12-07T12:00:00.000Z');

describe("inventoryTime: when an agent took its inventory (the report's sentAt), bounded by the dispatcher's clock", () => {
  it.each([
    ['the agent says when', '2026-12-07T11:59:58.500Z', '2026-12-07T11:59:58.500Z'],
    ['an agent clock ahead is not believed past now', '2026-12-07T12:05:00.000Z', '2026-12-07T12:00:00.000Z'],
    ['an unreadable time is now', 'yesterday-ish', '2026-12-07T12:00:00.000Z'],
    ['an empty one too', '', '2026-12-07T12:00:00.000Z'],
  ])('%s', (_, sentAt, expected) => {
    expect(inventoryTime(sentAt, now).toISOString()).toBe(expected);
  });
});
