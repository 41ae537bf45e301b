import { describe, expect, it } from '@jest/globals';
import { functionSets } from '../functions/index.js';
import type { FunctionMap } from '../functions/signature.js';
import { deterministicFunctions, withDeterministicScope } from './deterministic.js';

function counting(): { functions: FunctionMap; calls: () => number } {
  let n = 0;
  return {
    functions: {
      now: { params: [], fn: () => `t${++n}` },
      randAlpha: { params: ['int'], fn: (len) => `r${typeof len === 'bigint' ? len : 0n}-${++n}` },
      upper: { params: ['string'], fn: (s) => (typeof s === 'string' ? s.toUpperCase() : '') },
    },
    calls: () => n,
  };
}

describe('deterministicFunctions', () => {
  it('within one scope, the same non-deterministic call gives the same result', () => {
    const { functions } = counting();
    const det = deterministicFunctions(functions);
    withDeterministicScope(() => {
      const first = det['now']!.fn();
      expect(det['now']!.fn()).toBe(first);
      const five = det['randAlpha']!.fn(5n);
      expect(det['randAlpha']!.fn(5n)).toBe(five);
      expect(det['randAlpha']!.fn(6n)).not.toBe(five);
    });
  });

  it('outside a scope, and in a new scope, calls go through', () => {
    const { functions, calls } = counting();
    const det = deterministicFunctions(functions);
    expect(det['now']!.fn()).not.toBe(det['now']!.fn());
    const inFirst = withDeterministicScope(() => det['now']!.fn());
    const inSecond = withDeterministicScope(() => det['now']!.fn());
    expect(inSecond).not.toBe(inFirst);
    expect(calls()).toBe(4);
  });

  it('keeps deterministic functions as they are and is stable per function set', () => {
    const { functions } = counting();
    const det = deterministicFunctions(functions);
    expect(det['upper']).toBe(functions['upper']);
    expect(deterministicFunctions(functions)).toBe(det);
    const plain: FunctionMap = { upper: functions['upper']! };
    expect(deterministicFunctions(plain)).toBe(plain);
  });

  it('wraps what the Fasit set has of the non-deterministic Sprig functions', () => {
    const det = deterministicFunctions(functionSets.fasit);
    expect(Object.keys(det).sort()).toEqual(Object.keys(functionSets.fasit).sort());
    expect(det['now']).not.toBe(functionSets.fasit['now']);
    expect(det['quote']).toBe(functionSets.fasit['quote']);
  });
});
