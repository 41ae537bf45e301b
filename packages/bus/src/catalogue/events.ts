// The event contracts: one TypeScript type per topic. Wire messages carry `version: 'v1'`; a breaking change is a
// new topic (`….v2`), never an edit of a published one.

export type Labels = Record<string, string>;
export type EnvironmentKind = 'management' | 'tenant' | 'onprem' | 'legacy';
export type DeployStatus = 'sent' | 'installing' | 'deployed' | 'failed';

export interface AssignmentChangedV1 {
  version: 'v1';
  assignmentId: string;
  feature: string;
  featureVersion: string;
  target: Labels;
  active: boolean;
  /** The assignment this one replaced (same feature and target), if any. */
  replacedAssignmentId: string | null;
}

export interface EnvironmentChangedV1 {
  version: 'v1';
  environmentId: string;
  tenant: string;
  name: string;
  kind: EnvironmentKind;
  labels: Labels;
  reconcile: boolean;
  deleted: boolean;
}

export interface ConfigChangedV1 {
  version: 'v1';
  feature: string;
  /** null for global configuration. */
  environmentId: string | null;
  key: string;
}

export interface EnvironmentValueChangedV1 {
  version: 'v1';
  environmentId: string;
  key: string;
}

export interface FeatureToggleChangedV1 {
  version: 'v1';
  environmentId: string;
  feature: string;
  disabled: boolean;
}

export interface RedeployRequestedV1 {
  version: 'v1';
  environmentId: string;
  feature: string;
  requestedBy: string;
}

export interface UninstallRequestedV1 {
  version: 'v1';
  diid: string;
  environmentId: string;
  tenant: string;
  environment: string;
  release: string;
  requestedBy: string;
}

export interface TargetPair {
  environmentId: string;
  feature: string;
}

export interface TargetsChangedV1 {
  version: 'v1';
  /** Why these pairs need a new decision: winner, config, environment-value, environment, toggle, redeploy, status, sweep. */
  reason: string;
  pairs: TargetPair[];
  /** Set for reason `redeploy`: force a deploy even when the desired state is unchanged. */
  force?: boolean;
}

export interface DeployRequestedV1 {
  version: 'v1';
  diid: string;
  environmentId: string;
  tenant: string;
  environment: string;
  assignmentId: string;
  feature: string;
  featureVersion: string;
  chart: string;
  chartDigest: string;
  hash: string;
  timeoutMs: number;
  /**
   * The rendered values, sealed by the reconciler for this environment's agent (`sealForAgent` in @fasit/domain,
   * bound to the diid): the dispatcher forwards them unopened, so secrets cross the control plane's topics only
   * sealed.
   */
  sealedValues: string;
}

export interface DeployStatusChangedV1 {
  version: 'v1';
  diid: string;
  environmentId: string;
  feature: string;
  status: DeployStatus;
  hash: string;
  error: string | null;
}

/**
 * What the dispatcher sends to one environment's agent (`naisd.instructions.v2.<tenant>.<environment>`): a signed
 * instruction. The agent acts on the verified claims only (`InstructionVerifier`), never on anything else in the
 * message. (v1 carried the instruction unsigned, with only its values sealed; see docs/decisions/0010.)
 */
export interface SignedInstructionV2 {
  version: 'v2';
  /** A JWT (compact JWS, alg Ed25519, typ `fasit-instruction+jwt`) signed by the dispatcher: its claims are `InstructionClaimsV2`. */
  jws: string;
}

/** What an instruction tells the agent to do. */
export type InstructionBody =
  | {
      action: 'deploy';
      /** Release name (the feature name). */
      release: string;
      /** `oci://host/repository/name`. */
      chart: string;
      /** The chart's manifest digest (`sha256:…`): helm pulls exactly this, whatever the tag points to now. */
      chartDigest: string;
      featureVersion: string;
      /** The desired-state hash, carried on the agent's reports. */
      hash: string;
      timeoutMs: number;
      /** The values, sealed for this environment's agent (`sealForAgent` in @fasit/domain, bound to the diid). */
      sealedValues: string;
    }
  | { action: 'uninstall'; release: string; timeoutMs: number };

/**
 * The claims of a signed instruction: all of it, so that a change to any part breaks the signature. Times are
 * seconds since the epoch (JWT).
 */
export interface InstructionClaimsV2 {
  iss: 'fasit-dispatcher';
  /** `<tenant>/<environment>`: the one agent that may run it. */
  aud: string;
  /** The deploy instruction id (diid). */
  jti: string;
  iat: number;
  nbf: number;
  exp: number;
  instruction: InstructionBody;
}

/** Why an agent refused an instruction (see `InstructionRefused`). */
export type InstructionRefusalReason =
  | 'malformed'
  | 'unsigned'
  | 'algorithm'
  | 'unknown-key'
  | 'bad-signature'
  | 'wrong-environment'
  | 'expired'
  | 'not-yet-valid'
  | 'replayed';

export interface HelmRelease {
  name: string;
  chartVersion: string;
  status: string;
  revision: number;
  lastDeployed: string | null;
  /**
   * SHA-256 (hex) of the canonical JSON (`canonicalJson` of @fasit/domain) of the values helm holds for the release
   * (`helm get values`): what Fasit passed, unless someone changed them behind its back. Only from a real inventory,
   * and only for releases in the agent's own namespace (those Fasit deploys).
   */
  valuesHash?: string;
}

export interface LogLine {
  time: string;
  msg: string;
  kind: 'helm' | 'event';
}

export type AgentReport =
  | { type: 'helm'; diid: string; name: string; featureVersion: string; status: 'installing' | 'deployed' | 'failed'; hash: string; error: string | null }
  | { type: 'heartbeat'; agentVersion: string }
  /**
   * `real`: the releases a cluster's release storage holds (naisd in cluster mode). Absent or false: an inventory
   * that says nothing about a cluster (a dry-run agent's memory driver holds no releases), never read as drift.
   */
  | { type: 'inventory'; releases: HelmRelease[]; real?: boolean }
  | { type: 'log'; diid: string; lines: LogLine[] }
  | { type: 'uninstall'; diid: string; release: string; status: 'uninstalled' | 'failed'; error: string | null }
  /**
   * A message on the agent's instruction topic that it did not run. `diid` is the one the message claims (null if
   * none can be read); `verified` says whether the signature held, i.e. whether the diid and its environment are the
   * control plane's own (for an expired, early or replayed instruction) or merely claimed.
   */
  | { type: 'refused'; diid: string | null; reason: InstructionRefusalReason; verified: boolean; error: string };

/** What an agent reports. The tenant/environment fields are checked against the message's signature. */
export interface AgentReportV1 {
  version: 'v1';
  tenant: string;
  environment: string;
  sentAt: string;
  report: AgentReport;
}
