// Whether an instruction for naisd's own release may start a self-upgrade. Pure: the caller (naisd) acts only on
// `ok`, and reports `error` in the instruction's deploy log otherwise, changing nothing.
import { compareVersions, invalid, type DomainError } from '@fasit/domain';

/** naisd's own release: an instruction for it is a self-upgrade (decision 0021). */
export const OWN_RELEASE = 'naisd';

/** SemVer 2 (an optional leading v), as chart versions are written. */
const SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

export interface SelfUpgradeRequest {
  /** The name of naisd's own helm release (its chart's release in its namespace). */
  ownRelease: string;
  /** The version this naisd runs (FASIT_AGENT_VERSION, the image tag). */
  runningVersion: string;
  /** The release the instruction names. */
  release: string;
  /** The chart version the instruction names. */
  version: string;
}

export type SelfUpgradeCheck = { ok: true; from: string; to: string } | { ok: false; error: DomainError };

/**
 * An instruction for naisd's own release upgrades naisd: it must name this release, a well-formed version, and
 * not an older one than naisd runs (the same version is allowed: new values for the same agent).
 */
export function checkSelfUpgrade(req: SelfUpgradeRequest): SelfUpgradeCheck {
  if (req.release !== req.ownRelease) {
    return { ok: false, error: invalid(`self-upgrade: release "${req.release}" is not naisd's own release "${req.ownRelease}"`, 'release') };
  }
  if (!SEMVER.test(req.version)) {
    return { ok: false, error: invalid(`self-upgrade: version ${JSON.stringify(req.version)} is not a SemVer version`, 'version') };
  }
  if (SEMVER.test(req.runningVersion) && compareVersions(req.version, req.runningVersion) < 0) {
    return {
      ok: false,
      error: invalid(`self-upgrade: version ${req.version} is older than the running naisd ${req.runningVersion}; a downgrade is refused`, 'version'),
    };
  }
  return { ok: true, from: req.runningVersion, to: req.version };
}
