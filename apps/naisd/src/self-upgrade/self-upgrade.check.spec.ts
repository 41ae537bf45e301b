import { describe, expect, it } from '@jest/globals';
import { DomainError } from '@fasit/domain';
import { checkSelfUpgrade } from './self-upgrade.check.js';

const base = { ownRelease: 'naisd', runningVersion: '1.4.0', release: 'naisd' };

describe('checkSelfUpgrade: which instructions for naisd may upgrade it', () => {
  it.each([
    ['a newer minor version', '1.5.0'],
    ['a newer patch version', '1.4.1'],
    ['a newer major version with a leading v', 'v2.0.0'],
    ['the same version (new values for the same agent)', '1.4.0'],
    ['a release candidate of a newer version', '1.5.0-rc.1'],
  ])('accepts %s', (_what, version) => {
    expect(checkSelfUpgrade({ ...base, version })).toEqual({ ok: true, from: '1.4.0', to: version });
  });

  it.each([
    [
      'another release name',
      { release: 'naisd-other', version: '1.5.0' },
      'release',
      'self-upgrade: release "naisd-other" is not naisd\'s own release "naisd"',
    ],
    ['a downgrade', { version: '1.3.9' }, 'version', 'self-upgrade: version 1.3.9 is older than the running naisd 1.4.0; a downgrade is refused'],
    [
      'a pre-release of the running version (older than it)',
      { version: '1.4.0-rc.1' },
      'version',
      'self-upgrade: version 1.4.0-rc.1 is older than the running naisd 1.4.0; a downgrade is refused',
    ],
    ['a malformed version', { version: '1.5' }, 'version', 'self-upgrade: version "1.5" is not a SemVer version'],
    ['a version with leading zeros', { version: '01.5.0' }, 'version', 'self-upgrade: version "01.5.0" is not a SemVer version'],
    ['a version carrying a shell word', { version: '1.5.0; rm -rf /' }, 'version', 'self-upgrade: version "1.5.0; rm -rf /" is not a SemVer version'],
    ['an empty version', { version: '' }, 'version', 'self-upgrade: version "" is not a SemVer version'],
  ])('refuses %s, naming the field', (_what, change, field, message) => {
    const result = checkSelfUpgrade({ ...base, ...change });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(DomainError);
    expect(result.error.code).toBe('INVALID_INPUT');
    expect(result.error.field).toBe(field);
    expect(result.error.message).toBe(message);
  });

  it('checks the release name before the version', () => {
    const result = checkSelfUpgrade({ ...base, release: 'x', version: 'garbage' });
    expect(result.ok ? undefined : result.error.field).toBe('release');
  });

  it('upgrades an agent whose running version is not SemVer (a development build) to any well-formed version', () => {
    expect(checkSelfUpgrade({ ...base, runningVersion: 'dev-abc123', version: '0.1.0' })).toEqual({ ok: true, from: 'dev-abc123', to: '0.1.0' });
  });
});
