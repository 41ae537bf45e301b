import { describe, expect, it } from '@jest/globals';
import { PatchError, jsonPatch, mergePatch, serverSideApply, strategicMergePatch } from './patches.js';

describe('patches', () => {
  it('a merge patch replaces lists and deletes keys set to null', () => {
    expect(mergePatch({ a: 1, b: [1, 2], c: { d: 1, e: 2 } }, { a: null, b: [3], c: { e: null } })).toEqual({ b: [3], c: { d: 1 } });
  });

  it('a strategic merge patch merges named lists, deletes by $patch and keeps $setElementOrder', () => {
    const live = {
      containers: [
        { name: 'a', image: 'a:1' },
        { name: 'b', image: 'b:1' },
      ],
    };
    expect(
      strategicMergePatch(live, {
        containers: [
          { name: 'b', image: 'b:2' },
          { name: 'c', image: 'c:1' },
        ],
      }),
    ).toEqual({
      containers: [
        { name: 'a', image: 'a:1' },
        { name: 'b', image: 'b:2' },
        { name: 'c', image: 'c:1' },
      ],
    });
    expect(strategicMergePatch(live, { containers: [{ name: 'a', $patch: 'delete' }] })).toEqual({ containers: [{ name: 'b', image: 'b:1' }] });
    expect(strategicMergePatch(live, { containers: [{ name: 'a', image: 'a:2' }], '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }] })).toEqual({
      containers: [
        { name: 'b', image: 'b:1' },
        { name: 'a', image: 'a:2' },
      ],
    });
  });

  it('a JSON patch applies add, replace, remove, move and test, and refuses what fails', () => {
    expect(
      jsonPatch({ a: [1], b: 1 }, [
        { op: 'add', path: '/a/-', value: 2 },
        { op: 'replace', path: '/b', value: 3 },
        { op: 'move', from: '/b', path: '/c' },
        { op: 'test', path: '/c', value: 3 },
      ]),
    ).toEqual({ a: [1, 2], c: 3 });
    expect(() => jsonPatch({ a: 1 }, [{ op: 'test', path: '/a', value: 2 }])).toThrow(new PatchError('test failed at /a'));
    expect(() => jsonPatch({ a: 1 }, [{ op: 'remove', path: '/b' }])).toThrow(new PatchError('no value at /b'));
    expect(() => jsonPatch({ a: 1 }, { op: 'add' })).toThrow(new PatchError('a JSON patch is an array of operations'));
  });

  it("server-side apply drops what the same manager applied before and no longer applies, keeping others' fields", () => {
    const live = { data: { mine: '1', old: '1', theirs: '1' } };
    expect(serverSideApply(live, { data: { mine: '2' } }, { data: { mine: '1', old: '1' } })).toEqual({ data: { mine: '2', theirs: '1' } });
  });
});
