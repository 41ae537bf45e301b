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

/** What the dispatcher sends to one environment's agent. */
export interface DeployInstructionV1 {
  version: 'v1';
  diid: string;
  action: 'deploy' | 'uninstall';
  /** Release name (the feature name). */
  name: string;
  featureVersion: string;
  chart: string;
  hash: string;
  timeoutMs: number;
  /** The values, sealed for this environment's agent (`sealForAgent` in @fasit/domain); empty for an uninstall. */
  sealedValues: string;
}

export interface HelmRelease {
  name: string;
  chartVersion: string;
  status: string;
  revision: number;
  lastDeployed: string | null;
}

export interface LogLine {
  time: string;
  msg: string;
  kind: 'helm' | 'event';
}

export type AgentReport =
  | { type: 'helm'; diid: string; name: string; featureVersion: string; status: 'installing' | 'deployed' | 'failed'; hash: string; error: string | null }
  | { type: 'heartbeat'; agentVersion: string }
  | { type: 'inventory'; releases: HelmRelease[] }
  | { type: 'log'; diid: string; lines: LogLine[] }
  | { type: 'uninstall'; diid: string; release: string; status: 'uninstalled' | 'failed'; error: string | null };

/** What an agent reports. The tenant/environment fields are checked against the message's signature. */
export interface AgentReportV1 {
  version: 'v1';
  tenant: string;
  environment: string;
  sentAt: string;
  report: AgentReport;
}
