// What the reconciler reads of the matcher, through its published view `matcher_api.winners` (see the matcher
// README): which (environment, feature) pairs have a winner.
import type { TargetPair } from '@fasit/bus';
import type { EntityManager } from 'typeorm';

export class WinnersReader {
  constructor(private readonly m: EntityManager) {}

  /** The pairs of one environment. */
  async environmentPairs(environmentId: string): Promise<TargetPair[]> {
    return this.m.query<TargetPair[]>(`SELECT environment_id AS "environmentId", feature FROM matcher_api.winners WHERE environment_id = $1`, [environmentId]);
  }
}
