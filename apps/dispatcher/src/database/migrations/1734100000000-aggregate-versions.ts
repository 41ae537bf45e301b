import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createAggregateVersionsTable, createAppliedVersionsTable, versionUnpublishedEvents } from '@fasit/bus';

/** The versions of each aggregate the dispatcher applied, and the counters its outbox issues its status events' versions from; events waiting in the outbox get theirs now (docs/decisions/0018-aggregate-versions.md). */
export class DispatcherAggregateVersions1734100000000 implements MigrationInterface {
  name = 'DispatcherAggregateVersions1734100000000';

  async up(q: QueryRunner): Promise<void> {
    await createAppliedVersionsTable(q, 'dispatcher');
    await createAggregateVersionsTable(q, 'dispatcher');
    await versionUnpublishedEvents(q, 'dispatcher');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE dispatcher.aggregate_versions');
    await q.query('DROP TABLE dispatcher.applied_versions');
  }
}
