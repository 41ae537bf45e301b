import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The sweep decides only what moved (decision 0028). `reconciler.sweep_inputs`: per (environment, feature), the
 * fingerprint (md5) of every input of its decision as the last sweep that decided it read them, the pair's newest
 * decision after it (so what the sweep appended itself is not taken for a change, but an event's decision is), and
 * when a verdict that waits on time (a retry after its backoff, a request the dispatcher never recorded) is due; a
 * sweep decides a pair whose fingerprint or newest decision differs, or whose time has come, and no other. `reconciler.latest_decisions`: the newest
 * decision, and the newest `deploy` decision, of each pair, kept by a trigger in the transaction of the append, so
 * the sweep reads them without scanning the append-only history.
 */
export class ReconcilerSweepInputs1734800000000 implements MigrationInterface {
  name = 'ReconcilerSweepInputs1734800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE reconciler.sweep_inputs (
      environment_id uuid NOT NULL,
      feature text NOT NULL,
      fingerprint text NOT NULL,
      decision_id bigint,
      swept_at timestamptz NOT NULL,
      due_at timestamptz,
      PRIMARY KEY (environment_id, feature)
    )`);
    await q.query(`CREATE TABLE reconciler.latest_decisions (
      environment_id uuid NOT NULL,
      feature text NOT NULL,
      decision_id bigint NOT NULL,
      deploy_decision_id bigint,
      PRIMARY KEY (environment_id, feature)
    )`);
    await q.query(`CREATE FUNCTION reconciler.keep_latest_decision() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO reconciler.latest_decisions AS l (environment_id, feature, decision_id, deploy_decision_id)
          VALUES (NEW.environment_id, NEW.feature, NEW.id, CASE WHEN NEW.action = 'deploy' THEN NEW.id END)
        ON CONFLICT (environment_id, feature) DO UPDATE SET
          decision_id = greatest(l.decision_id, EXCLUDED.decision_id),
          deploy_decision_id = CASE WHEN EXCLUDED.deploy_decision_id IS NULL THEN l.deploy_decision_id
                                    ELSE greatest(l.deploy_decision_id, EXCLUDED.deploy_decision_id) END;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER keep_latest_decision AFTER INSERT ON reconciler.decisions FOR EACH ROW EXECUTE FUNCTION reconciler.keep_latest_decision()`);
    await q.query(`INSERT INTO reconciler.latest_decisions (environment_id, feature, decision_id, deploy_decision_id)
      SELECT environment_id, feature, max(id), max(id) FILTER (WHERE action = 'deploy') FROM reconciler.decisions GROUP BY environment_id, feature`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER keep_latest_decision ON reconciler.decisions`);
    await q.query(`DROP FUNCTION reconciler.keep_latest_decision()`);
    await q.query(`DROP TABLE reconciler.latest_decisions`);
    await q.query(`DROP TABLE reconciler.sweep_inputs`);
  }
}
