// The deploy path on the embedded fallback: the whole platform in this one process (catalog-api, matcher,
// reconciler, dispatcher and naisd agents composed by startEmbeddedPlatform) on an embedded PostgreSQL (PGlite,
// data in a temporary folder) and the in-process bus.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPlatform } from '@fasit/launcher';
import { deployPathScenarios } from './src/deploy-path.scenarios.js';

deployPathScenarios('embedded: one process, PGlite and the in-process bus', async ({ agentKeySecret, instructionKeys }, tuning) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'fasit-e2e-embedded-'));
  const platform = await startEmbeddedPlatform({ dataDir: join(dataDir, 'pglite'), grpcPort: 0, agentKeySecret, instructionKeys, env: tuning });
  return {
    apiUrl: platform.apiUrl,
    startAgent: (a) => platform.startAgent(a),
    bus: platform.bus,
    endpoints: () => platform.endpoints(),
    async stop() {
      await platform.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
});
