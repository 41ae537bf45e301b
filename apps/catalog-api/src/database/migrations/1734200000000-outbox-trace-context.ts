import type { MigrationInterface, QueryRunner } from 'typeorm';
import { addOutboxTraceContext, dropOutboxTraceContext } from '@fasit/bus';

/** Each outbox row keeps the W3C trace context it was written in, so its publish continues that trace (docs/operations.md "How to read a trace"). */
export class CatalogOutboxTraceContext1734200000000 implements MigrationInterface {
  name = 'CatalogOutboxTraceContext1734200000000';

  async up(q: QueryRunner): Promise<void> {
    await addOutboxTraceContext(q, 'catalog');
  }

  async down(q: QueryRunner): Promise<void> {
    await dropOutboxTraceContext(q, 'catalog');
  }
}
