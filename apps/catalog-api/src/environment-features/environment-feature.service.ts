// One feature in one environment: its state, the desired and current version, the values the reconciler rendered
// (secrets masked unless revealed, which is audited), the last decision and the deploy history with the agent's
// log lines; and the manual operations: disable (with a reason), enable, redeploy.
//
// The other services' part (decisions, deploys, their logs, the reported releases, drift) comes from their published
// views, through EnvironmentFeatureReader, ReleaseReader and DriftReader.
import { Inject, Injectable } from '@nestjs/common';
import { outboxEvent } from '@fasit/bus';
import { decisionContext, DomainError, notFound, pairState, type SecretBox, selectWinners } from '@fasit/domain';
import { splitHelmKey } from '@fasit/feature-spec';
import { hasRole } from '../auth/access.js';
import type { Actor } from '../common/actor.js';
import { CatalogTransactions } from '../common/catalog-transaction.js';
import { DriftReader } from '../drift/drift.reader.js';
import type { Assignment } from '../assignments/assignment.entity.js';
import { AssignmentRepository } from '../assignments/assignment.repository.js';
import type { Environment } from '../environments/environment.entity.js';
import type { FeatureVersion } from '../features/feature-version.entity.js';
import { FeatureVersionRepository } from '../features/feature-version.repository.js';
import { ReleaseReader } from '../releases/release.reader.js';
import { SECRET_BOX } from '../secrets/secret-box.provider.js';
import { MASK } from '@fasit/domain';
import { DisabledFeatureRepository } from './disabled-feature.repository.js';
import { EnvironmentFeatureReader, type DecisionRow, type DeployRow } from './environment-feature.reader.js';
import type { DeployView, EnvironmentFeatureSummary, EnvironmentFeatureView } from './environment-feature.schemas.js';

/** The helm keys to mask: secret config keys of the spec, plus keys the provenance marks secret or tainted. */
export function secretKeys(spec: FeatureVersion['spec'] | undefined, provenance: unknown): string[] {
  const keys = new Set<string>();
  for (const [key, def] of Object.entries(spec?.values ?? {})) if (def.config?.secret) keys.add(key);
  if (provenance && typeof provenance === 'object' && !Array.isArray(provenance)) {
    for (const [key, p] of Object.entries(provenance as Record<string, unknown>)) {
      if (p && typeof p === 'object' && ((p as { secret?: unknown }).secret === true || (p as { tainted?: unknown }).tainted === true)) keys.add(key);
    }
  }
  return [...keys].sort();
}

/** A deep copy with object keys in byte-wise order at every level (as Go's encoding/json and helm's toJson write
 * them), so the same values always read the same, whichever store they came from. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(o)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .map((k) => [k, sortKeys(o[k])]),
  );
}

/** A copy of nested helm values with the value at each dotted key replaced by the mask (when present). */
export function maskValues(values: unknown, keys: string[]): { values: unknown; masked: string[] } {
  const copy = structuredClone(values);
  const masked: string[] = [];
  for (const key of keys) {
    const path = splitHelmKey(key);
    let cur: unknown = copy;
    for (const seg of path.slice(0, -1)) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[seg] : undefined;
    const last = path[path.length - 1];
    if (last !== undefined && cur && typeof cur === 'object' && last in cur) {
      (cur as Record<string, unknown>)[last] = MASK;
      masked.push(key);
    }
  }
  return { values: copy, masked };
}

@Injectable()
export class EnvironmentFeatureService {
  constructor(
    private readonly disabledFeatures: DisabledFeatureRepository,
    private readonly assignments: AssignmentRepository,
    private readonly versions: FeatureVersionRepository,
    private readonly tx: CatalogTransactions,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    private readonly driftReader: DriftReader,
    private readonly reader: EnvironmentFeatureReader,
    private readonly releases: ReleaseReader,
  ) {}

  private async requireFeature(feature: string): Promise<void> {
    if (!(await this.versions.featureExists(feature))) throw notFound(`feature "${feature}" not found`);
  }

  /** The active assignment that wins this environment for the feature (most specific), if any. */
  async winner(env: Environment, feature: string): Promise<{ assignment: Assignment; version: FeatureVersion } | null> {
    const w = selectWinners(await this.assignments.active(feature), env.labels).get(feature)?.winner;
    if (!w) return null;
    const version = await this.versions.assigned(feature, w.version);
    if (!version.kinds.includes(env.kind)) return null;
    return { assignment: w, version };
  }

  /** Every feature that an assignment brings to this environment or that is disabled here, with its state. */
  async list(env: Environment): Promise<EnvironmentFeatureSummary[]> {
    const winners = selectWinners(await this.assignments.active(), env.labels);
    const versions = await this.versions.kinds();
    const kindsOf = new Map(versions.map((v) => [`${v.feature}:${v.version}`, v.kinds]));
    const [disabledBy, decisions, deploys] = await Promise.all([
      this.disabledFeatures.ofEnvironment(env.id),
      this.reader.latestDecisions(env.id),
      this.reader.latestDeploys(env.id),
    ]);
    const decisionBy = new Map(decisions.map((d) => [d.feature, d]));
    const deployBy = new Map(deploys.map((d) => [d.feature, d]));
    const names = new Set([
      ...[...winners.entries()].filter(([, w]) => kindsOf.get(`${w.winner.feature}:${w.winner.version}`)?.includes(env.kind)).map(([f]) => f),
      ...disabledBy.keys(),
    ]);
    return [...names].sort().map((feature) => {
      const w = winners.get(feature)?.winner;
      const d = decisionBy.get(feature);
      const dep = deployBy.get(feature);
      const s = pairState({
        disabled: disabledBy.has(feature) || !env.reconcile,
        decision: d ? { action: d.action, message: d.message, at: d.created_at } : undefined,
        deploy: dep ? { status: dep.status, at: dep.created_at, error: dep.error } : undefined,
      });
      return {
        feature,
        state: s.state,
        message: s.message,
        desiredVersion: w?.version ?? null,
        assignmentId: w?.id ?? null,
        lastDeployedVersion: dep?.feature_version ?? null,
        disabledReason: disabledBy.get(feature) ?? null,
      };
    });
  }

  async get(actor: Actor, env: Environment, feature: string, reveal: boolean): Promise<EnvironmentFeatureView> {
    await this.requireFeature(feature);
    const [winner, disabled, decisions, rendered, deployRows] = await Promise.all([
      this.winner(env, feature),
      this.disabledFeatures.one(env.id, feature),
      this.reader.latestDecision(env.id, feature),
      this.reader.latestRendered(env.id, feature),
      this.reader.deployHistory(env.id, feature),
    ]);
    const deploys = await this.deploys(deployRows);
    const decision = decisions[0];
    const latestDeploy = deployRows[deployRows.length - 1];
    const s = pairState({
      disabled: !!disabled || !env.reconcile,
      decision: decision ? { action: decision.action, message: decision.message, at: decision.created_at } : undefined,
      deploy: latestDeploy ? { status: latestDeploy.status, at: latestDeploy.created_at, error: latestDeploy.error } : undefined,
    });
    const lastDeployed = [...deployRows].reverse().find((d) => d.status === 'deployed');
    let current: EnvironmentFeatureView['current'] = lastDeployed
      ? { version: lastDeployed.feature_version, since: lastDeployed.created_at.toISOString() }
      : null;
    if (!current) {
      const rel = (await this.releases.releases(env.id)).find((r) => r.name === feature);
      if (rel) current = { version: rel.chart_version, since: rel.last_deployed?.toISOString() ?? '' };
    }
    return {
      tenant: env.tenant.name,
      environment: env.name,
      environmentId: env.id,
      feature,
      state: s.state,
      message: !env.reconcile && !disabled ? 'reconciliation is off for this environment' : s.message,
      disabled: disabled ? { reason: disabled.reason, by: disabled.disabled_by, at: disabled.disabled_at.toISOString() } : null,
      reconcile: env.reconcile,
      desired: winner ? { assignmentId: winner.assignment.id, version: winner.assignment.version, target: winner.assignment.target } : null,
      current,
      rendered: rendered[0] ? await this.rendered(actor, env, feature, rendered[0], reveal) : null,
      lastDecision: decision
        ? {
            action: decision.action,
            message: decision.message,
            featureVersion: decision.feature_version,
            assignmentId: decision.assignment_id,
            hash: decision.hash,
            at: decision.created_at.toISOString(),
          }
        : null,
      deploys,
      drift: await this.driftReader.pair(env.id, feature),
    };
  }

  private async rendered(
    actor: Actor,
    env: Environment,
    feature: string,
    row: DecisionRow,
    reveal: boolean,
  ): Promise<NonNullable<EnvironmentFeatureView['rendered']>> {
    const version = row.feature_version ? await this.versions.one(feature, row.feature_version) : null;
    const keys = secretKeys(version?.spec, row.provenance);
    const base = { featureVersion: row.feature_version, hash: row.hash, at: row.created_at.toISOString(), provenance: row.provenance };
    if (reveal && keys.length > 0) {
      if (!hasRole(actor, 'operator', env.tenant.name))
        throw new DomainError('FORBIDDEN', `${actor.name} may not reveal secrets of tenant "${env.tenant.name}": it needs the operator role`);
      // The reconciler stores the values with secrets masked and a sealed copy; without one, what is stored is shown.
      const values = row.sealed_values ? this.box.open(row.sealed_values, decisionContext(env.id, feature)) : row.values;
      await this.tx.run(actor, (tx) => {
        tx.audit({
          action: 'revealed',
          objectType: 'rendered_values',
          objectId: `${env.id}/${feature}`,
          environmentId: env.id,
          feature,
          description: `revealed rendered values of ${feature} in ${env.tenant.name}/${env.name} (${keys.join(', ')})`,
          metadata: { keys, hash: row.hash },
        });
      });
      return { ...base, values: sortKeys(values), masked: [], revealed: true };
    }
    const m = maskValues(row.values, keys);
    return { ...base, values: sortKeys(m.values), masked: m.masked, revealed: false };
  }

  private async deploys(rows: DeployRow[]): Promise<DeployView[]> {
    const by = new Map<string, DeployRow[]>();
    for (const r of rows) by.set(r.diid, [...(by.get(r.diid) ?? []), r]);
    const diids = [...by.keys()];
    const logs = await this.reader.logTails(diids);
    const logsBy = new Map<string, DeployView['logs']>();
    for (const l of logs) logsBy.set(l.diid, [...(logsBy.get(l.diid) ?? []), { time: new Date(l.time).toISOString(), msg: l.msg, kind: l.kind }]);
    const lastId = (diid: string) => BigInt(by.get(diid)!.at(-1)!.id);
    return diids
      .sort((a, b) => (lastId(b) > lastId(a) ? 1 : lastId(b) < lastId(a) ? -1 : 0))
      .map((diid): DeployView => {
        const list = by.get(diid)!;
        const first = list[0]!;
        const last = list[list.length - 1]!;
        return {
          diid,
          featureVersion: first.feature_version,
          assignmentId: first.assignment_id,
          hash: first.hash,
          status: last.status,
          error: last.error,
          startedAt: first.created_at.toISOString(),
          updatedAt: last.created_at.toISOString(),
          history: list.map((r) => ({ status: r.status, error: r.error, at: r.created_at.toISOString() })),
          logs: logsBy.get(diid) ?? [],
        };
      });
  }

  async disable(actor: Actor, env: Environment, feature: string, reason: string): Promise<EnvironmentFeatureView> {
    await this.requireFeature(feature);
    await this.tx.run(actor, async (tx) => {
      if (!(await this.disabledFeatures.insert(tx.manager, env.id, feature, reason, actor.name))) return; // already disabled: nothing changes
      tx.audit({
        action: 'disabled',
        objectType: 'disabled_features',
        objectId: `${env.id}/${feature}`,
        environmentId: env.id,
        feature,
        description: `disabled ${feature} in ${env.tenant.name}/${env.name}: ${reason.slice(0, 200)}`,
        metadata: { reason },
      });
      tx.emit(outboxEvent('catalog.feature-toggle.changed.v1', { version: 'v1', environmentId: env.id, feature, disabled: true }));
    });
    return this.get(actor, env, feature, false);
  }

  async enable(actor: Actor, env: Environment, feature: string): Promise<EnvironmentFeatureView> {
    await this.requireFeature(feature);
    await this.tx.run(actor, async (tx) => {
      const wasDisabledFor = await this.disabledFeatures.delete(tx.manager, env.id, feature);
      if (wasDisabledFor === undefined) return;
      tx.audit({
        action: 'enabled',
        objectType: 'disabled_features',
        objectId: `${env.id}/${feature}`,
        environmentId: env.id,
        feature,
        description: `enabled ${feature} in ${env.tenant.name}/${env.name}`,
        metadata: { wasDisabledFor },
      });
      tx.emit(outboxEvent('catalog.feature-toggle.changed.v1', { version: 'v1', environmentId: env.id, feature, disabled: false }));
    });
    return this.get(actor, env, feature, false);
  }

  /** Asks the reconciler to deploy again even though nothing changed; refused when nothing would be deployed. */
  async redeploy(actor: Actor, env: Environment, feature: string): Promise<{ requested: true; environmentId: string; feature: string }> {
    await this.requireFeature(feature);
    if (!env.reconcile) throw new DomainError('CONFLICT', `reconciliation is off for ${env.tenant.name}/${env.name}; turn it on first`);
    if (await this.disabledFeatures.one(env.id, feature))
      throw new DomainError('CONFLICT', `${feature} is disabled in ${env.tenant.name}/${env.name}; enable it first`);
    if (!(await this.winner(env, feature)))
      throw new DomainError('CONFLICT', `no active assignment of ${feature} reaches ${env.tenant.name}/${env.name}; there is nothing to redeploy`);
    await this.tx.run(actor, (tx) => {
      tx.audit({
        action: 'redeploy',
        objectType: 'feature',
        objectId: `${env.id}/${feature}`,
        environmentId: env.id,
        feature,
        description: `requested a redeploy of ${feature} in ${env.tenant.name}/${env.name}`,
      });
      tx.emit(outboxEvent('catalog.redeploy.requested.v1', { version: 'v1', environmentId: env.id, feature, requestedBy: actor.name }));
    });
    return { requested: true, environmentId: env.id, feature };
  }
}
