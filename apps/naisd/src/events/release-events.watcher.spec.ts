import { describe, expect, it } from '@jest/globals';
import { eventLine } from './release-events.watcher.js';

const warning = {
  type: 'Warning',
  reason: 'BackOff',
  message: 'Back-off restarting failed container',
  involvedObject: { kind: 'Pod', name: 'shop-7d9f-x2' },
  count: 1,
};

describe('eventLine: which events of the namespace reach a deploy log, and how they read', () => {
  it.each<[string, string, object, string | undefined]>([
    ["a Warning of one of the release's objects", 'ADDED', warning, 'Warning BackOff Pod/shop-7d9f-x2: Back-off restarting failed container'],
    ['an Error event', 'ADDED', { ...warning, type: 'Error', reason: 'Failed' }, 'Error Failed Pod/shop-7d9f-x2: Back-off restarting failed container'],
    [
      'a repeat (MODIFIED with a count)',
      'MODIFIED',
      { ...warning, count: 4 },
      'Warning BackOff Pod/shop-7d9f-x2: Back-off restarting failed container (4 times)',
    ],
    ['a Normal event', 'ADDED', { ...warning, type: 'Normal', reason: 'Pulled' }, undefined],
    ["another release's object", 'ADDED', { ...warning, involvedObject: { kind: 'Pod', name: 'cart-1' } }, undefined],
    ['a deleted event', 'DELETED', warning, undefined],
    ['a bookmark', 'BOOKMARK', {}, undefined],
    ['no involved object', 'ADDED', { type: 'Warning', reason: 'X', message: 'm' }, undefined],
    [
      'hostile text: line breaks, control characters and terminal escapes flattened',
      'ADDED',
      { ...warning, reason: 'Bad\u001b[31mReason', message: 'line one\nline two\r\u0000end' },
      'Warning Bad [31mReason Pod/shop-7d9f-x2: line one line two end',
    ],
    ['no reason or kind', 'ADDED', { type: 'Warning', message: 'm', involvedObject: { name: 'shop' } }, 'Warning - ?/shop: m'],
  ])('%s', (_, type, event, line) => {
    expect(eventLine('shop', type, event)).toBe(line);
  });

  it('bounds a message at 1000 characters and each other field at 200', () => {
    const line = eventLine('shop', 'ADDED', { ...warning, reason: 'r'.repeat(500), message: 'm'.repeat(5000) })!;
    expect(line).toBe(`Warning ${'r'.repeat(200)}… Pod/shop-7d9f-x2: ${'m'.repeat(1000)}…`);
  });
});
