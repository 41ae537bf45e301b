import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createAggregateVersionsTable, createAppliedVersionsTable, versionUnpublishedEvents } from '@fasit/bus';

/** The versions of each aggregate the reconciler applied, and the counters its outbox issues its deploy requests' versions from; requests waiting in the outbox get theirs now (docs/decisions/0018-aggregate-versions.md). */
export class ReconcilerAggregateVersions1734100000000 implements MigrationInterface {
  name = 'ReconcilerAggregateVersions1734100000000';

  async up(q: QueryRunner): Promise<void> {
    await createAppliedVersionsTable(q, 'reconciler');
    await createAggregateVersionsTable(q, 'reconciler');
    await versionUnpublishedEvents(q, 'reconciler');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE reconciler.aggregate_versions');
    await q.query('DROP TABLE reconciler.applied_versions');
  }
}
