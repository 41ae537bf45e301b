import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '@fasit/config';
import type { Actor } from '../common/actor.js';
import { GithubPolicy } from './github-policy.js';

const gh = (repository: string): Actor => ({ name: 'ci', kind: 'github', grants: [], repository });

describe('GithubPolicy', () => {
  const policy = GithubPolicy.fromConfig('nais, Acme', 'secure-thing=nais/secure|acme/ops; other=nais/other');

  it('allows listed owners, case-insensitively; no owners turns GitHub off', () => {
    expect(policy.enabled).toBe(true);
    expect(policy.ownerAllowed('acme')).toBe(true);
    expect(policy.ownerAllowed('evil')).toBe(false);
    expect(GithubPolicy.fromConfig('', '').enabled).toBe(false);
  });

  it('restricts listed features to their repositories and leaves others open', () => {
    expect(() => policy.authorizeFeature(gh('ACME/ops'), 'secure-thing')).not.toThrow();
    expect(() => policy.authorizeFeature(gh('nais/app'), 'secure-thing')).toThrow(/may not assign feature "secure-thing"/);
    expect(() => policy.authorizeFeature(gh('nais/app'), 'unlisted')).not.toThrow();
  });

  it('names a malformed allow-list', () => {
    expect(() => GithubPolicy.fromConfig('nais', 'feature=not-a-repo')).toThrow(ConfigError);
    expect(() => GithubPolicy.fromConfig('nais', '=nais/x')).toThrow(/FASIT_GITHUB_FEATURE_REPOS/);
  });
});
