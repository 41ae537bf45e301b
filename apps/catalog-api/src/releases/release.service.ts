// The Helm releases the environment's agent reported (the dispatcher's published views, through ReleaseReader),
// with orphans flagged, and the uninstall request (refused for the agent itself).
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { outboxEvent } from '@fasit/bus';
import { invalid, selectWinners } from '@fasit/domain';
import type { Actor } from '../common/actor.js';
import { CatalogTransactions } from '../common/catalog-transaction.js';
import { AGENT_RELEASES } from '../common/foreign-read.js';
import { AssignmentRepository } from '../assignments/assignment.repository.js';
import type { Environment } from '../environments/environment.entity.js';
import { ReleaseReader } from './release.reader.js';
import type { ReleaseInventory } from './release.schemas.js';

const RELEASE_NAME = /^[a-z0-9]([-a-z0-9]{0,51}[a-z0-9])?$/;

@Injectable()
export class ReleaseService {
  constructor(
    private readonly assignments: AssignmentRepository,
    private readonly tx: CatalogTransactions,
    private readonly reader: ReleaseReader,
  ) {}

  async inventory(env: Environment): Promise<ReleaseInventory> {
    const reader = this.reader;
    const [releases, health, actives] = await Promise.all([reader.releases(env.id), reader.agentHealth(env.id), this.assignments.active()]);
    const winners = selectWinners(actives, env.labels);
    return {
      tenant: env.tenant.name,
      environment: env.name,
      agent: health ? { reportedAt: new Date(health.reported_at).toISOString(), version: health.agent_version } : null,
      releases: releases.map((r) => {
        const agent = AGENT_RELEASES.has(r.name);
        const desired = winners.get(r.name)?.winner.version ?? null;
        return {
          name: r.name,
          chartVersion: r.chart_version,
          status: r.status,
          revision: Number(r.revision),
          lastDeployed: r.last_deployed ? new Date(r.last_deployed).toISOString() : null,
          agent,
          orphan: !agent && desired === null,
          desiredVersion: desired,
        };
      }),
    };
  }

  async uninstall(actor: Actor, env: Environment, release: string): Promise<{ diid: string; release: string }> {
    if (AGENT_RELEASES.has(release)) throw invalid(`release "${release}" is the agent itself; Fasit does not uninstall its agent`, 'name');
    if (!RELEASE_NAME.test(release)) throw invalid(`release "${release.slice(0, 80)}": not a Helm release name`, 'name');
    const diid = randomUUID();
    await this.tx.run(actor, (tx) => {
      tx.audit({
        action: 'uninstall',
        objectType: 'release',
        objectId: `${env.id}/${release}`,
        environmentId: env.id,
        feature: release,
        description: `requested uninstall of ${release} in ${env.tenant.name}/${env.name}`,
        metadata: { diid },
      });
      tx.emit(
        outboxEvent('catalog.uninstall.requested.v1', {
          version: 'v1',
          diid,
          environmentId: env.id,
          tenant: env.tenant.name,
          environment: env.name,
          release,
          requestedBy: actor.name,
        }),
      );
    });
    return { diid, release };
  }
}
