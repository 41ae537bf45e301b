// The TypeScript type of every event contract, derived from its JSON Schema in schemas.ts (the one source): a
// field changed there changes the type here, and every producer and handler compiled against it.
import type { Static } from '@sinclair/typebox';
import type * as S from './schemas.js';

export type Labels = Static<typeof S.labels>;
export type EnvironmentKind = Static<typeof S.environmentKind>;
export type DeployStatus = Static<typeof S.deployStatus>;
export type TargetPair = Static<typeof S.targetPair>;
export type HelmRelease = Static<typeof S.helmRelease>;
export type LogLine = Static<typeof S.logLine>;
export type AgentReport = Static<typeof S.agentReport>;

export type AssignmentChangedV1 = Static<typeof S.assignmentChangedV1>;
export type EnvironmentChangedV1 = Static<typeof S.environmentChangedV1>;
export type ConfigChangedV1 = Static<typeof S.configChangedV1>;
export type EnvironmentValueChangedV1 = Static<typeof S.environmentValueChangedV1>;
export type FeatureToggleChangedV1 = Static<typeof S.featureToggleChangedV1>;
export type RedeployRequestedV1 = Static<typeof S.redeployRequestedV1>;
export type UninstallRequestedV1 = Static<typeof S.uninstallRequestedV1>;
export type TargetsChangedV1 = Static<typeof S.targetsChangedV1>;
export type DeployRequestedV1 = Static<typeof S.deployRequestedV1>;
export type DeployStatusChangedV1 = Static<typeof S.deployStatusChangedV1>;
export type InventoryReportedV1 = Static<typeof S.inventoryReportedV1>;
/** What the dispatcher sends to one environment's agent: a signed instruction (its claims: InstructionClaimsV2). */
export type SignedInstructionV2 = Static<typeof S.signedInstructionV2>;
/** What an instruction tells the agent to do. */
export type InstructionBody = Static<typeof S.instructionBody>;
/** The claims of a signed instruction: all of it, so that a change to any part breaks the signature. */
export type InstructionClaimsV2 = Static<typeof S.instructionClaimsV2>;
/** Why an agent refused an instruction (an agent report of type `refused`). */
export type InstructionRefusalReason = Static<typeof S.instructionRefusalReason>;
export type AgentReportV1 = Static<typeof S.agentReportV1>;
