// Which GitHub Actions workflows may create assignments: an allow-list of repository owners, and optionally, per
// feature, an allow-list of repositories (`FASIT_GITHUB_FEATURE_REPOS`). The original allowed any workflow of
// one hard-coded organisation to assign any feature anywhere.
import { ConfigError } from '@fasit/config';
import { DomainError } from '@fasit/domain';
import type { Actor } from '../common/actor.js';

export class GithubPolicy {
  constructor(
    readonly owners: ReadonlySet<string>,
    readonly featureRepos: ReadonlyMap<string, ReadonlySet<string>>,
  ) {}

  static fromConfig(owners: string, featureRepos: string): GithubPolicy {
    const o = new Set(owners.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean));
    const map = new Map<string, Set<string>>();
    for (const entry of featureRepos.split(';').map((s) => s.trim()).filter(Boolean)) {
      const i = entry.indexOf('=');
      const repos = entry.slice(i + 1).split('|').map((r) => r.trim().toLowerCase()).filter(Boolean);
      if (i <= 0 || repos.length === 0 || repos.some((r) => !/^[a-z0-9_.-]+\/[a-z0-9_.-]+$/.test(r))) {
        throw new ConfigError([`FASIT_GITHUB_FEATURE_REPOS: "${entry}": expected feature=owner/repo|owner/repo2`]);
      }
      map.set(entry.slice(0, i).trim(), new Set(repos));
    }
    return new GithubPolicy(o, map);
  }

  get enabled(): boolean {
    return this.owners.size > 0;
  }

  ownerAllowed(owner: string): boolean {
    return this.owners.has(owner.toLowerCase());
  }

  /** Throws FORBIDDEN when a GitHub caller's repository may not assign this feature. */
  authorizeFeature(actor: Actor, feature: string): void {
    const allowed = this.featureRepos.get(feature);
    if (!allowed) return;
    if (!actor.repository || !allowed.has(actor.repository.toLowerCase())) {
      throw new DomainError('FORBIDDEN', `repository ${actor.repository ?? '?'} may not assign feature "${feature}" (allowed: ${[...allowed].sort().join(', ')})`, { field: 'chart' });
    }
  }
}
