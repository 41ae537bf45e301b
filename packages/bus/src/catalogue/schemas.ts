// The event contracts, one JSON Schema per topic, written once with TypeBox: ajv validates with these schemas on
// publish and on receipt, and the TypeScript types in events.ts are derived from them (`Static<typeof …>`), so a
// changed field changes the type every producer and consumer is compiled against. Wire messages carry
// `version: 'v1'`; a breaking change is a new topic (`….v2`), never an edit of a published one.
import { Type, type TSchema } from '@sinclair/typebox';

const str = Type.String({ minLength: 1 });
const uuid = Type.String({ format: 'uuid' });
const v1 = Type.Literal('v1');
const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
/** Every contract is closed: a field the schema does not name is a contract violation. */
const closed = { additionalProperties: false } as const;

export const labels = Type.Record(Type.String(), Type.String());
export const environmentKind = Type.Union([Type.Literal('management'), Type.Literal('tenant'), Type.Literal('onprem'), Type.Literal('legacy')]);
export const deployStatus = Type.Union([Type.Literal('sent'), Type.Literal('installing'), Type.Literal('deployed'), Type.Literal('failed')]);

export const assignmentChangedV1 = Type.Object(
  {
    version: v1,
    assignmentId: uuid,
    feature: str,
    featureVersion: str,
    target: labels,
    active: Type.Boolean(),
    replacedAssignmentId: nullable(uuid),
  },
  closed,
);

export const environmentChangedV1 = Type.Object(
  { version: v1, environmentId: uuid, tenant: str, name: str, kind: environmentKind, labels, reconcile: Type.Boolean(), deleted: Type.Boolean() },
  closed,
);

export const configChangedV1 = Type.Object(
  { version: v1, feature: str, environmentId: nullable(uuid), key: str },
  { ...closed, description: 'environmentId is null for global configuration.' },
);

export const environmentValueChangedV1 = Type.Object({ version: v1, environmentId: uuid, key: str }, closed);

export const featureToggleChangedV1 = Type.Object({ version: v1, environmentId: uuid, feature: str, disabled: Type.Boolean() }, closed);

export const redeployRequestedV1 = Type.Object({ version: v1, environmentId: uuid, feature: str, requestedBy: str }, closed);

export const uninstallRequestedV1 = Type.Object(
  { version: v1, diid: uuid, environmentId: uuid, tenant: str, environment: str, release: str, requestedBy: str },
  closed,
);

export const targetPair = Type.Object({ environmentId: uuid, feature: str }, closed);

export const targetsChangedV1 = Type.Object(
  {
    version: v1,
    reason: Type.String({
      minLength: 1,
      description: 'Why these pairs need a new decision: winner, config, environment-value, environment, toggle, redeploy, status, sweep.',
    }),
    pairs: Type.Array(targetPair, { maxItems: 1000 }),
    force: Type.Optional(Type.Boolean({ description: 'Set for reason `redeploy`: deploy even when the desired state is unchanged.' })),
  },
  closed,
);

export const deployRequestedV1 = Type.Object(
  {
    version: v1,
    diid: uuid,
    environmentId: uuid,
    tenant: str,
    environment: str,
    assignmentId: uuid,
    feature: str,
    featureVersion: str,
    chart: str,
    chartDigest: str,
    hash: str,
    timeoutMs: Type.Integer({ minimum: 0 }),
    sealedValues: Type.String({
      minLength: 1,
      description:
        "The rendered values, sealed by the reconciler for this environment's agent (sealForAgent in @fasit/domain, bound to the diid): the dispatcher forwards them unopened, so secrets cross the control plane's topics only sealed.",
    }),
  },
  closed,
);

export const deployStatusChangedV1 = Type.Object(
  { version: v1, diid: uuid, environmentId: uuid, feature: str, status: deployStatus, hash: str, error: nullable(Type.String()) },
  closed,
);

export const deployInstructionV1 = Type.Object(
  {
    version: v1,
    diid: uuid,
    action: Type.Union([Type.Literal('deploy'), Type.Literal('uninstall')]),
    name: Type.String({ minLength: 1, description: 'The release name (the feature name).' }),
    featureVersion: Type.String(),
    chart: Type.String(),
    hash: Type.String(),
    timeoutMs: Type.Integer({ minimum: 0 }),
    sealedValues: Type.String({
      maxLength: 4_000_000,
      description: "The values, sealed for this environment's agent (sealForAgent in @fasit/domain); empty for an uninstall.",
    }),
  },
  { ...closed, description: "What the dispatcher sends to one environment's agent." },
);

export const helmRelease = Type.Object(
  { name: str, chartVersion: Type.String(), status: Type.String(), revision: Type.Integer(), lastDeployed: nullable(Type.String()) },
  closed,
);

export const logLine = Type.Object({ time: str, msg: Type.String(), kind: Type.Union([Type.Literal('helm'), Type.Literal('event')]) }, closed);

export const agentReport = Type.Union([
  Type.Object(
    {
      type: Type.Literal('helm'),
      diid: uuid,
      name: str,
      featureVersion: str,
      status: Type.Union([Type.Literal('installing'), Type.Literal('deployed'), Type.Literal('failed')]),
      hash: Type.String(),
      error: nullable(Type.String()),
    },
    closed,
  ),
  Type.Object({ type: Type.Literal('heartbeat'), agentVersion: str }, closed),
  Type.Object({ type: Type.Literal('inventory'), releases: Type.Array(helmRelease, { maxItems: 5000 }) }, closed),
  Type.Object({ type: Type.Literal('log'), diid: uuid, lines: Type.Array(logLine, { maxItems: 10000 }) }, closed),
  Type.Object(
    {
      type: Type.Literal('uninstall'),
      diid: uuid,
      release: str,
      status: Type.Union([Type.Literal('uninstalled'), Type.Literal('failed')]),
      error: nullable(Type.String()),
    },
    closed,
  ),
]);

export const agentReportV1 = Type.Object(
  { version: v1, tenant: str, environment: str, sentAt: str, report: agentReport },
  { ...closed, description: "What an agent reports. The tenant/environment fields are checked against the message's signature." },
);
