import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What each environment's agent said it understands in its last heartbeat (decision 0024): `instructions.v3` — it
 * pulls its filtered subscription on its shard, so its instructions go there. An agent that never said (an older
 * naisd) has none and keeps getting v2 on its environment's topic.
 */
export class AgentCapabilities1734850000000 implements MigrationInterface {
  name = 'AgentCapabilities1734850000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE dispatcher.agent_health ADD COLUMN capabilities text[] NOT NULL DEFAULT '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE dispatcher.agent_health DROP COLUMN capabilities`);
  }
}
