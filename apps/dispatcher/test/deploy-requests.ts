// Deploy requests as the reconciler publishes them, for the dispatcher's tests: the values sealed for the
// environment's agent and diid, each request newer (`aggregateVersion`) than any made before it by the same builder.
import { randomUUID } from 'node:crypto';
import type { DeployRequestedV1 } from '@fasit/bus';
import { deriveAgentKey, sealForAgent } from '@fasit/domain';
import { unique } from '@fasit/harness';

/** A builder of requests to `tenant`'s environments (`environmentIds`, filled in once they exist). */
export function deployRequests(o: { tenant: string; environmentIds: Record<string, string>; agentSecret: string }) {
  let issued = 0;
  return (environment: string, patch: Partial<DeployRequestedV1> = {}): DeployRequestedV1 => {
    const diid = patch.diid ?? randomUUID();
    return {
      version: 'v1',
      aggregateVersion: ++issued,
      diid,
      environmentId: o.environmentIds[environment]!,
      tenant: o.tenant,
      environment,
      assignmentId: randomUUID(),
      feature: unique('feature'),
      featureVersion: '1.0.0',
      chart: 'oci://registry.example.org/charts/feature',
      chartDigest: `sha256:${'0'.repeat(64)}`,
      hash: randomUUID(),
      timeoutMs: 300_000,
      sealedValues: sealForAgent(deriveAgentKey(o.agentSecret, o.tenant, environment), diid, { image: { tag: '1.0.0' } }),
      ...patch,
    };
  };
}
