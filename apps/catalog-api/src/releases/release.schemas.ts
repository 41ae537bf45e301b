// The release inventory's contract (common/api-schema.ts).
import { bool, int, nstr, ntime, nullable, str, time, Type, type Static } from '../common/api-schema.js';

export const releaseView = Type.Object({
  name: str,
  chartVersion: str,
  status: str,
  revision: int,
  lastDeployed: ntime,
  /** The agent itself (naisd, fasitd): never uninstalled through Fasit. */
  agent: bool,
  /** Installed, but no active assignment of a feature of that name reaches this environment. */
  orphan: bool,
  /** The version Fasit wants there, when an assignment reaches the environment. */
  desiredVersion: nstr,
});
export type ReleaseView = Static<typeof releaseView>;

export const releaseInventory = Type.Object({
  tenant: str,
  environment: str,
  agent: nullable(Type.Object({ reportedAt: time, version: nstr })),
  releases: Type.Array(releaseView),
});
export type ReleaseInventory = Static<typeof releaseInventory>;
