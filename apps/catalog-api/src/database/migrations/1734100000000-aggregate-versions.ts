import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createAggregateVersionsTable, versionUnpublishedEvents } from '@fasit/bus';

/** The counters the outbox issues each aggregate's versions from; events waiting in the outbox get theirs now (docs/decisions/0018-aggregate-versions.md). */
export class CatalogAggregateVersions1734100000000 implements MigrationInterface {
  name = 'CatalogAggregateVersions1734100000000';

  async up(q: QueryRunner): Promise<void> {
    await createAggregateVersionsTable(q, 'catalog');
    await versionUnpublishedEvents(q, 'catalog');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE catalog.aggregate_versions');
  }
}
