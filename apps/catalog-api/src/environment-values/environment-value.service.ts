// Environment values: key/value data about an environment (any JSON), written mostly by Terraform. Secret ones
// are sealed at rest (AES-256-GCM) and shown masked unless the caller may reveal them, which is audited.
import { Inject, Injectable } from '@nestjs/common';
import { outboxEvent } from '@fasit/bus';
import { DomainError, invalid, notFound } from '@fasit/domain';
import { hasRole } from '../auth/access.js';
import type { Actor } from '../common/actor.js';
import { CatalogTransactions } from '../common/catalog-transaction.js';
import { Environment } from '../environments/environment.entity.js';
import { envValueContext, MASK, type SecretBox } from '@fasit/domain';
import { SECRET_BOX } from '../secrets/secret-box.provider.js';
import { EnvironmentValueRepository, type EnvironmentValueRow as Row } from './environment-value.repository.js';
import type { EnvironmentValueView } from './environment-value.schemas.js';

export const MAX_VALUE_BYTES = 64 * 1024;
const KEY = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,252}$/;

export function checkValueKey(key: string, field = 'key'): void {
  if (!KEY.test(key)) throw invalid(`key "${key.slice(0, 80)}": 1-253 letters, digits, "_", "." or "-", not starting with "." or "-"`, field);
}

export function checkValueSize(value: unknown, field = 'value'): void {
  if (value === undefined) throw invalid(`${field}: is required`, field);
  const size = Buffer.byteLength(JSON.stringify(value));
  if (size > MAX_VALUE_BYTES) throw new DomainError('PAYLOAD_TOO_LARGE', `${field}: ${size} bytes; a value may have at most ${MAX_VALUE_BYTES}`, { field });
}

@Injectable()
export class EnvironmentValueService {
  constructor(
    private readonly repo: EnvironmentValueRepository,
    private readonly tx: CatalogTransactions,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
  ) {}

  async put(actor: Actor, env: Environment, key: string, input: { value: unknown; secret?: boolean }): Promise<EnvironmentValueView> {
    checkValueKey(key);
    checkValueSize(input.value);
    const secret = input.secret ?? false;
    return this.tx.run(actor, async (tx) => {
      const before = await this.repo.lock(tx.manager, env.id, key);
      const sealed = secret ? this.box.seal(input.value, envValueContext(env.id, key)) : null;
      await this.repo.upsert(tx.manager, env.id, key, { value: input.value, secret, sealed });
      const after = this.view((await this.repo.one(env.id, key, tx.manager))!, false);
      tx.audit({
        action: before ? 'updated' : 'created',
        objectType: 'environment_value',
        objectId: `${env.id}/${key}`,
        environmentId: env.id,
        description: `${before ? 'updated' : 'set'} ${secret ? 'secret ' : ''}value ${key} of ${env.tenant.name}/${env.name}`,
        ...(before ? { before: this.view(before, false) } : {}),
        after,
      });
      tx.emit(outboxEvent('catalog.environment-value.changed.v1', { version: 'v1', environmentId: env.id, key }));
      return after;
    });
  }

  async get(actor: Actor, env: Environment, key: string, reveal: boolean): Promise<EnvironmentValueView> {
    const row = await this.repo.one(env.id, key);
    if (!row) throw notFound(`environment ${env.tenant.name}/${env.name} has no value "${key}"`);
    return (await this.reveal(actor, [row], reveal))[0]!;
  }

  async list(actor: Actor, env: Environment, reveal: boolean): Promise<EnvironmentValueView[]> {
    return this.reveal(actor, await this.repo.ofEnvironment(env.id), reveal);
  }

  /** The same key across every environment the caller sees (`tenants` null: all). */
  async across(actor: Actor, key: string, tenants: string[] | null, reveal: boolean): Promise<EnvironmentValueView[]> {
    checkValueKey(key);
    return this.reveal(actor, await this.repo.acrossEnvironments(key, tenants), reveal);
  }

  async delete(actor: Actor, env: Environment, key: string): Promise<void> {
    await this.tx.run(actor, async (tx) => {
      const before = await this.repo.lock(tx.manager, env.id, key);
      if (!before) throw notFound(`environment ${env.tenant.name}/${env.name} has no value "${key}"`);
      await this.repo.delete(tx.manager, env.id, key);
      tx.audit({
        action: 'deleted',
        objectType: 'environment_value',
        objectId: `${env.id}/${key}`,
        environmentId: env.id,
        description: `deleted value ${key} of ${env.tenant.name}/${env.name}`,
        before: this.view(before, false),
      });
      tx.emit(outboxEvent('catalog.environment-value.changed.v1', { version: 'v1', environmentId: env.id, key }));
    });
  }

  /** Every secret value of every environment, opened (for the gRPC API, which the original served unmasked). */
  open(row: { environment_id: string; key: string; value: unknown; secret: boolean; encrypted_value: string | null }): unknown {
    if (!row.secret) return row.value;
    return row.encrypted_value ? this.box.open(row.encrypted_value, envValueContext(row.environment_id, row.key)) : null;
  }

  /**
   * Opens secrets when asked and allowed (operator on the value's tenant), writing one `revealed` audit entry per
   * secret shown; otherwise masks them. A viewer asking to reveal gets a 403.
   */
  private async reveal(actor: Actor, rows: Row[], reveal: boolean): Promise<EnvironmentValueView[]> {
    const secrets = rows.filter((r) => r.secret);
    if (!reveal || secrets.length === 0) return rows.map((r) => this.view(r, false));
    const denied = secrets.find((r) => !hasRole(actor, 'operator', r.tenant));
    if (denied) throw new DomainError('FORBIDDEN', `${actor.name} may not reveal secrets of tenant "${denied.tenant}": it needs the operator role`);
    await this.tx.run(actor, (tx) => {
      for (const r of secrets) {
        tx.audit({
          action: 'revealed',
          objectType: 'environment_value',
          objectId: `${r.environment_id}/${r.key}`,
          environmentId: r.environment_id,
          description: `revealed secret value ${r.key} of ${r.tenant}/${r.environment}`,
        });
      }
    });
    return rows.map((r) => this.view(r, true));
  }

  private view(r: Row, reveal: boolean): EnvironmentValueView {
    const masked = r.secret && !reveal;
    return {
      environmentId: r.environment_id,
      tenant: r.tenant,
      environment: r.environment,
      key: r.key,
      value: masked ? MASK : this.open(r),
      secret: r.secret,
      masked,
      updatedAt: r.updated_at.toISOString(),
    };
  }
}
