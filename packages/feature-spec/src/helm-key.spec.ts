import { describe, expect, it } from '@jest/globals';
import { FeatureSpecError } from './issue.js';
import { isValidHelmKey, joinHelmKey, splitHelmKey } from './helm-key.js';

describe('splitHelmKey', () => {
  it.each([
    ['replicas', ['replicas']],
    ['image.tag', ['image', 'tag']],
    ['a.b\\.c', ['a', 'b.c']],
    ['labels\\.team', ['labels.team']],
    ['podAnnotations.prometheus\\.io/scrape', ['podAnnotations', 'prometheus.io/scrape']],
    ['a\\b.c', ['a\\b', 'c']],
  ])('splits %s', (key, segments) => {
    expect(splitHelmKey(key)).toEqual(segments);
    expect(isValidHelmKey(key)).toBe(true);
  });

  it.each(['', 'a..b', '.a', 'a.'])('refuses %j with a coded error', (key) => {
    expect(() => splitHelmKey(key)).toThrow(FeatureSpecError);
    expect(() => splitHelmKey(key)).toThrow(expect.objectContaining({ code: 'invalid-helm-key', retryable: false }));
    expect(isValidHelmKey(key)).toBe(false);
  });

  it('joinHelmKey escapes dots inside segments, the inverse of splitHelmKey', () => {
    expect(joinHelmKey(['a', 'b.c'])).toBe('a.b\\.c');
    expect(splitHelmKey(joinHelmKey(['x.y', 'z', 'w.v.u']))).toEqual(['x.y', 'z', 'w.v.u']);
  });
});
