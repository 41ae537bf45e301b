import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createAggregateVersionsTable, createAppliedVersionsTable, createProcessedEventsTable, versionUnpublishedEvents } from '@fasit/bus';

/** The versions of each aggregate the matcher applied, and the counters its outbox issues its announcements' versions from; announcements waiting in the outbox get theirs now (docs/decisions/0018-aggregate-versions.md). The
 * redeploy's event ids go: its version de-duplicates it. */
export class MatcherAggregateVersions1734100000000 implements MigrationInterface {
  name = 'MatcherAggregateVersions1734100000000';

  async up(q: QueryRunner): Promise<void> {
    await createAppliedVersionsTable(q, 'matcher');
    await createAggregateVersionsTable(q, 'matcher');
    await versionUnpublishedEvents(q, 'matcher');
    await q.query('DROP TABLE matcher.processed_events');
  }

  async down(q: QueryRunner): Promise<void> {
    await createProcessedEventsTable(q, 'matcher');
    await q.query('DROP TABLE matcher.aggregate_versions');
    await q.query('DROP TABLE matcher.applied_versions');
  }
}
