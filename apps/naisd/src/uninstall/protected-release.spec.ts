import { describe, expect, it } from '@jest/globals';
import { uninstallRefusal } from './protected-release.js';

describe('uninstallRefusal', () => {
  it.each(['naisd', 'fasitd', ' naisd '])('refuses the protected release %p', (name) => {
    expect(uninstallRefusal(name)).toBe(`refusing to uninstall protected release "${name.trim()}"`);
  });
  it.each(['', '   '])('refuses an empty name %p', (name) => {
    expect(uninstallRefusal(name)).toBe('refusing to uninstall a release without a name');
  });
  it.each(['demo-feature', 'naisd-extra', 'Naisd-old'])('lets %p go ahead', (name) => {
    expect(uninstallRefusal(name)).toBeNull();
  });
});
