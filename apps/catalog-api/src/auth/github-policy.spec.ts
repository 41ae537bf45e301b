import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '@fasit/config';
import { GithubPolicy, githubAudiences } from './github-policy.js';

const config = JSON.stringify([
  { repository: 'nais/Secure', features: ['secure-thing'], tenants: ['a'] },
  { repository: 'acme/ops', features: ['secure-thing', 'other'], targets: [{ kind: 'management' }, { tenant: 'b', env: 'prod' }] },
]);
const problems = (json: string): string[] => {
  try {
    GithubPolicy.fromConfig(json);
    return [];
  } catch (e) {
    return (e as ConfigError).problems;
  }
};
const code = (f: () => void): string => {
  try {
    f();
    return 'OK';
  } catch (e) {
    return (e as { code: string }).code;
  }
};

describe('GithubPolicy', () => {
  const policy = GithubPolicy.fromConfig(config);

  it('knows listed repositories, case-insensitively; none turns GitHub off; others have no policy', () => {
    expect(policy.enabled).toBe(true);
    expect(policy.policyOf('NAIS/secure').repository).toBe('nais/secure');
    expect(code(() => policy.policyOf('nais/other'))).toBe('FORBIDDEN');
    expect(code(() => policy.policyOf(undefined))).toBe('FORBIDDEN');
    expect(GithubPolicy.fromConfig('[]').enabled).toBe(false);
    expect(GithubPolicy.fromConfig('').enabled).toBe(false);
  });

  it('a repository assigns only its features', () => {
    const ops = policy.policyOf('acme/ops');
    expect(code(() => policy.authorizeFeature(ops, 'other'))).toBe('OK');
    expect(() => policy.authorizeFeature(policy.policyOf('nais/secure'), 'other')).toThrow(/may not assign feature "other" \(it may assign: secure-thing\)/);
  });

  it('a target must contain one of the label sets the repository may reach', () => {
    const secure = policy.policyOf('nais/secure');
    const ops = policy.policyOf('acme/ops');
    const cases: [string, Record<string, string>, string, string][] = [
      ['its tenant', { tenant: 'a' }, 'nais/secure', 'OK'],
      ['narrower within its tenant', { tenant: 'a', env: 'prod' }, 'nais/secure', 'OK'],
      ['another tenant', { tenant: 'b' }, 'nais/secure', 'FORBIDDEN'],
      ['everything', {}, 'nais/secure', 'FORBIDDEN'],
      ['a label set it may reach', { kind: 'management', tenant: 'z' }, 'acme/ops', 'OK'],
      ['the second label set', { tenant: 'b', env: 'prod' }, 'acme/ops', 'OK'],
      ['part of a label set only', { tenant: 'b' }, 'acme/ops', 'FORBIDDEN'],
    ];
    for (const [name, target, repo, expected] of cases)
      expect([name, code(() => policy.authorizeTarget(repo === 'acme/ops' ? ops : secure, target))]).toEqual([name, expected]);
  });

  it('names every malformed entry', () => {
    expect(problems('{')).toEqual(['FASIT_GITHUB_REPOSITORIES: not JSON']);
    expect(problems('{}')).toEqual([expect.stringMatching(/^FASIT_GITHUB_REPOSITORIES: expected a list/)]);
    expect(
      problems(
        JSON.stringify([
          { repository: 'no-slash', features: ['f'], tenants: ['a'] },
          { repository: 'a/b', features: [], tenants: ['a'] },
          { repository: 'a/c', features: ['f'] },
          { repository: 'a/d', features: ['f'], targets: [{ 'bad key': 'x' }] },
          { repository: 'a/e', features: ['f'], tenants: ['a'], owners: ['x'] },
          { repository: 'a/f', features: ['f'], tenants: ['a'] },
          { repository: 'A/F', features: ['f'], tenants: ['a'] },
        ]),
      ),
    ).toEqual([
      expect.stringMatching(/^FASIT_GITHUB_REPOSITORIES\[0\]\.repository/),
      expect.stringMatching(/^FASIT_GITHUB_REPOSITORIES\[1\]\.features/),
      expect.stringMatching(/^FASIT_GITHUB_REPOSITORIES\[2\]: name the tenants or targets/),
      expect.stringMatching(/^FASIT_GITHUB_REPOSITORIES\[3\]\.targets/),
      expect.stringMatching(/^FASIT_GITHUB_REPOSITORIES\[4\]: .*unknown: owners/),
      expect.stringMatching(/^FASIT_GITHUB_REPOSITORIES\[6\]\.repository: a\/f is listed twice/),
    ]);
  });

  it('several audiences, comma-separated', () => {
    expect(githubAudiences(' https://github.com/nais, https://github.com/acme ,')).toEqual(['https://github.com/nais', 'https://github.com/acme']);
    expect(githubAudiences(undefined)).toEqual([]);
  });
});
