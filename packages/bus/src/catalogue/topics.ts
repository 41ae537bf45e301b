// The one catalogue of topics: name → schema → type. Topic names are `<producer>.<subject>.<verb>.v<N>` and are
// never renamed; subscriptions are `<topic>.<consumer>`.
import type * as E from './events.js';
import * as S from './schemas.js';

interface TopicDef<T> {
  schema: object;
  /** Phantom field carrying the payload type. */
  readonly _type?: T;
}
const def = <T>(schema: object): TopicDef<T> => ({ schema });

export const topics = {
  'catalog.assignment.changed.v1': def<E.AssignmentChangedV1>(S.assignmentChangedV1),
  'catalog.environment.changed.v1': def<E.EnvironmentChangedV1>(S.environmentChangedV1),
  'catalog.config.changed.v1': def<E.ConfigChangedV1>(S.configChangedV1),
  'catalog.environment-value.changed.v1': def<E.EnvironmentValueChangedV1>(S.environmentValueChangedV1),
  'catalog.feature-toggle.changed.v1': def<E.FeatureToggleChangedV1>(S.featureToggleChangedV1),
  'catalog.redeploy.requested.v1': def<E.RedeployRequestedV1>(S.redeployRequestedV1),
  'catalog.uninstall.requested.v1': def<E.UninstallRequestedV1>(S.uninstallRequestedV1),
  'matcher.targets.changed.v1': def<E.TargetsChangedV1>(S.targetsChangedV1),
  'reconciler.deploy.requested.v1': def<E.DeployRequestedV1>(S.deployRequestedV1),
  'dispatcher.deploy-status.changed.v1': def<E.DeployStatusChangedV1>(S.deployStatusChangedV1),
  'naisd.status.reported.v1': def<E.AgentReportV1>(S.agentReportV1),
  /** A family: one topic per environment, `naisd.instructions.v2.<tenant>.<environment>` (see instructionTopic). */
  'naisd.instructions.v2': def<E.SignedInstructionV2>(S.signedInstructionV2),
} as const;

export type TopicName = keyof typeof topics;
export type PayloadOf<T extends TopicName> = NonNullable<(typeof topics)[T]['_type']>;

/** The per-environment instruction topic of an agent. */
export function instructionTopic(tenant: string, environment: string): string {
  return `naisd.instructions.v2.${tenant}.${environment}`;
}

/** Which catalogue entry a concrete topic name belongs to (handles the per-environment family). */
export function catalogueEntryOf(topic: string): TopicName | undefined {
  if (topic in topics) return topic as TopicName;
  if (topic.startsWith('naisd.instructions.v2.')) return 'naisd.instructions.v2';
  return undefined;
}

export function subscriptionName(topic: string, consumer: string): string {
  return `${topic}.${consumer}`;
}
