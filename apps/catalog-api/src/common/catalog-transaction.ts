// Every catalog mutation runs here: the change, its audit entry and its events commit together (transactional
// outbox), and the relay is woken after commit.
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import { DomainError } from '@fasit/domain';
import { enqueueEvents, OutboxRelay, type OutboxEvent } from '@fasit/bus';
import type { Actor } from './actor.js';

export interface AuditInput {
  action: 'created' | 'updated' | 'deleted' | 'enabled' | 'disabled' | 'triggered' | 'replaced' | 'deactivated' | 'uninstall' | 'redeploy' | 'revealed';
  objectType: string;
  objectId: string;
  environmentId?: string | null;
  feature?: string | null;
  description: string;
  before?: unknown;
  after?: unknown;
  metadata?: Record<string, unknown>;
}

export class CatalogTx {
  readonly events: OutboxEvent[] = [];
  private readonly audits: AuditInput[] = [];
  constructor(
    readonly manager: EntityManager,
    readonly actor: Actor,
  ) {}
  audit(a: AuditInput): void {
    this.audits.push(a);
  }
  emit(e: OutboxEvent): void {
    this.events.push(e);
  }
  async flush(): Promise<void> {
    for (const a of this.audits) {
      await this.manager.query(
        `INSERT INTO catalog.audit (actor, action, object_type, object_id, environment_id, feature, description, before, after, metadata)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          this.actor.name,
          a.action,
          a.objectType,
          a.objectId,
          a.environmentId ?? null,
          a.feature ?? null,
          a.description.slice(0, 500),
          json(a.before),
          json(a.after),
          JSON.stringify(a.metadata ?? {}),
        ],
      );
    }
    await enqueueEvents(this.manager, 'catalog', this.events);
  }
}

const json = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));

export const CATALOG_RELAY = Symbol('CATALOG_RELAY');
const UNIQUE_VIOLATION = '23505';

@Injectable()
export class CatalogTransactions {
  constructor(
    private readonly ds: DataSource,
    @Inject(CATALOG_RELAY) private readonly relay: OutboxRelay,
  ) {}

  /**
   * Runs `work` in one transaction. A unique violation (two requests creating the same thing at once, the loser
   * past its existence check) becomes a 409: `onUniqueViolation`'s error, or ALREADY_EXISTS naming the constraint.
   */
  async run<T>(actor: Actor, work: (tx: CatalogTx) => Promise<T> | T, onUniqueViolation?: (constraint: string) => DomainError): Promise<T> {
    let result: T;
    try {
      result = await this.ds.transaction(async (m) => {
        const tx = new CatalogTx(m, actor);
        const r = await work(tx);
        await tx.flush();
        return r;
      });
    } catch (e) {
      const driver = e instanceof QueryFailedError ? (e.driverError as { code?: string; constraint?: string }) : undefined;
      if (driver?.code === UNIQUE_VIOLATION) {
        const constraint = driver.constraint ?? 'a unique constraint';
        throw onUniqueViolation?.(constraint) ?? new DomainError('ALREADY_EXISTS', `it already exists: a concurrent request created it first (${constraint})`);
      }
      throw e;
    }
    this.relay.kick();
    return result;
  }
}
