// What GitHub Actions workflows may do: a policy per repository (`FASIT_GITHUB_REPOSITORIES`), naming the features
// the repository may assign (the features it owns: the only ones whose assignments it may read) and the targets
// it may reach (label sets a target must contain: `{"tenant": "a"}` allows `{tenant: a}` and `{tenant: a, env:
// prod}`, never `{}`). A repository without a policy gets nothing. The original let any workflow of one
// organisation assign any feature anywhere.
import { ConfigError } from '@fasit/config';
import { DomainError, canonicalLabels, labelKeyProblem, labelValueProblem, type Labels } from '@fasit/domain';

export interface RepositoryPolicy {
  /** `owner/name`, lower-case. */
  repository: string;
  features: ReadonlySet<string>;
  /** A target is allowed when it contains every label of one of these. */
  targets: readonly Labels[];
}

const REPOSITORY = /^[a-z0-9_.-]+\/[a-z0-9_.-]+$/;
const NAME = 'FASIT_GITHUB_REPOSITORIES';

export class GithubPolicy {
  private constructor(private readonly byRepository: ReadonlyMap<string, RepositoryPolicy>) {}

  /**
   * `[{"repository": "owner/name", "features": ["f"], "tenants": ["t"], "targets": [{"k": "v"}]}]`: `tenants`
   * is short for targets `{"tenant": t}`; at least one of the two.
   */
  static fromConfig(json: string): GithubPolicy {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json === '' ? '[]' : json);
    } catch {
      throw new ConfigError([`${NAME}: not JSON`]);
    }
    const shape = `expected a list of {"repository": "owner/name", "features": ["feature", ...], "tenants"?: ["tenant", ...], "targets"?: [{"label": "value"}, ...]}`;
    if (!Array.isArray(parsed)) throw new ConfigError([`${NAME}: ${shape}`]);
    const map = new Map<string, RepositoryPolicy>();
    const problems: string[] = [];
    parsed.forEach((entry: unknown, i) => {
      const at = `${NAME}[${i}]`;
      const e = entry as { repository?: unknown; features?: unknown; tenants?: unknown; targets?: unknown } | null;
      const unknown = e && typeof e === 'object' ? Object.keys(e).filter((k) => !['repository', 'features', 'tenants', 'targets'].includes(k)) : [];
      if (!e || typeof e !== 'object' || Array.isArray(e) || unknown.length > 0)
        return problems.push(`${at}: ${shape}${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}`);
      const repository = typeof e.repository === 'string' ? e.repository.toLowerCase() : '';
      if (!REPOSITORY.test(repository)) return problems.push(`${at}.repository: "owner/name" of a GitHub repository`);
      if (map.has(repository)) return problems.push(`${at}.repository: ${repository} is listed twice`);
      if (!isStrings(e.features) || e.features.length === 0) return problems.push(`${at}.features: a non-empty list of feature names`);
      const targets: Labels[] = [];
      if (e.tenants !== undefined) {
        if (!isStrings(e.tenants)) return problems.push(`${at}.tenants: a list of tenant names`);
        targets.push(...e.tenants.map((tenant) => ({ tenant })));
      }
      if (e.targets !== undefined) {
        if (
          !Array.isArray(e.targets) ||
          !e.targets.every((t) => t !== null && typeof t === 'object' && !Array.isArray(t) && Object.values(t as object).every((v) => typeof v === 'string'))
        ) {
          return problems.push(`${at}.targets: a list of label sets ({"label": "value"})`);
        }
        for (const t of e.targets as Labels[]) {
          const bad = Object.entries(t)
            .map(([k, v]) => labelKeyProblem(k) ?? labelValueProblem(k, v))
            .find(Boolean);
          if (bad) return problems.push(`${at}.targets: ${bad}`);
          targets.push(t);
        }
      }
      if (targets.length === 0) return problems.push(`${at}: name the tenants or targets the repository may reach`);
      map.set(repository, { repository, features: new Set(e.features), targets });
      return undefined;
    });
    if (problems.length > 0) throw new ConfigError(problems);
    return new GithubPolicy(map);
  }

  get enabled(): boolean {
    return this.byRepository.size > 0;
  }

  /** The repository's policy; FORBIDDEN for a repository that has none. */
  policyOf(repository: string | undefined): RepositoryPolicy {
    const p = repository === undefined ? undefined : this.byRepository.get(repository.toLowerCase());
    if (!p) throw new DomainError('FORBIDDEN', `GitHub repository ${repository ?? '(none)'} has no policy in ${NAME}: it may not use Fasit`);
    return p;
  }

  /** Throws FORBIDDEN (naming the field) when the repository may not assign this feature. */
  authorizeFeature(policy: RepositoryPolicy, feature: string, field = 'chart'): void {
    if (!policy.features.has(feature)) {
      throw new DomainError(
        'FORBIDDEN',
        `repository ${policy.repository} may not assign feature "${feature}" (it may assign: ${[...policy.features].sort().join(', ')})`,
        { field },
      );
    }
  }

  /** Throws FORBIDDEN when the target reaches beyond what the repository may reach. */
  authorizeTarget(policy: RepositoryPolicy, target: Labels): void {
    if (!policy.targets.some((allowed) => Object.entries(allowed).every(([k, v]) => target[k] === v))) {
      throw new DomainError(
        'FORBIDDEN',
        `repository ${policy.repository} may not assign to target ${canonicalLabels(target)} (it may reach targets containing one of: ${policy.targets.map(canonicalLabels).join(' ')})`,
        {
          field: 'target',
        },
      );
    }
  }
}

/** The accepted audiences of GitHub Actions tokens (comma-separated: GitHub's default is one per owner). */
export function githubAudiences(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string' && x !== '');
