// What the reconciler reads of the matcher, through its published view `matcher_api.winners` (see the matcher
// README): which (environment, feature) pairs have a winner.
import type { TargetPair } from '@fasit/bus';
import type { EntityManager } from 'typeorm';

export class WinnersReader {
  constructor(private readonly m: EntityManager) {}

  /**
   * The pairs of one environment that a settled deploy of `feature` there can move: its own, and those whose winning
   * feature version depends on it (`allOf` or `anyOf`). The others' inputs did not change.
   */
  async settledPairs(environmentId: string, feature: string): Promise<TargetPair[]> {
    return this.m.query<TargetPair[]>(
      `SELECT w.environment_id AS "environmentId", w.feature
       FROM matcher_api.winners w
       JOIN catalog_api.assignments a ON a.id = w.assignment_id
       JOIN catalog_api.feature_versions fv ON fv.feature = a.feature AND fv.version = a.version
       WHERE w.environment_id = $1
         AND (w.feature = $2 OR EXISTS (
           SELECT 1 FROM jsonb_array_elements(fv.dependencies) d
           WHERE coalesce(d -> 'allOf', '[]'::jsonb) @> to_jsonb($2::text) OR coalesce(d -> 'anyOf', '[]'::jsonb) @> to_jsonb($2::text)))`,
      [environmentId, feature],
    );
  }

  /** The pairs of one environment. */
  async environmentPairs(environmentId: string): Promise<TargetPair[]> {
    return this.m.query<TargetPair[]>(`SELECT environment_id AS "environmentId", feature FROM matcher_api.winners WHERE environment_id = $1`, [environmentId]);
  }
}
