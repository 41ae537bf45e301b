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
/**
 * The version of the event's aggregate (docs/decisions/0018-aggregate-versions.md): issued by the producer's outbox
 * from a counter row per (topic, aggregate), bumped in the transaction of the change, so it grows with every event
 * of that aggregate in commit order. A consumer drops an event whose version is not newer than the last it applied.
 */
const aggregateVersion = Type.Integer({
  minimum: 1,
  maximum: Number.MAX_SAFE_INTEGER,
  description: "The version of the event's aggregate on its topic: 1, 2, 3, … in the order the producer committed them.",
});

export const labels = Type.Record(Type.String(), Type.String());
export const environmentKind = Type.Union([Type.Literal('management'), Type.Literal('tenant'), Type.Literal('onprem'), Type.Literal('legacy')]);
export const deployStatus = Type.Union([Type.Literal('sent'), Type.Literal('installing'), Type.Literal('deployed'), Type.Literal('failed')]);

export const assignmentChangedV1 = Type.Object(
  {
    version: v1,
    aggregateVersion,
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
  {
    version: v1,
    aggregateVersion,
    environmentId: uuid,
    tenant: str,
    name: str,
    kind: environmentKind,
    labels,
    reconcile: Type.Boolean(),
    deleted: Type.Boolean(),
  },
  closed,
);

export const configChangedV1 = Type.Object(
  { version: v1, aggregateVersion, feature: str, environmentId: nullable(uuid), key: str },
  { ...closed, description: 'environmentId is null for global configuration.' },
);

export const environmentValueChangedV1 = Type.Object({ version: v1, aggregateVersion, environmentId: uuid, key: str }, closed);

export const featureToggleChangedV1 = Type.Object({ version: v1, aggregateVersion, environmentId: uuid, feature: str, disabled: Type.Boolean() }, closed);

export const redeployRequestedV1 = Type.Object({ version: v1, aggregateVersion, environmentId: uuid, feature: str, requestedBy: str }, closed);

export const uninstallRequestedV1 = Type.Object(
  { version: v1, aggregateVersion, diid: uuid, environmentId: uuid, tenant: str, environment: str, release: str, requestedBy: str },
  closed,
);

export const targetPair = Type.Object({ environmentId: uuid, feature: str }, closed);

/** A pair announced to the reconciler, with the version of that pair's announcements. */
export const announcedPair = Type.Object({ environmentId: uuid, feature: str, aggregateVersion }, closed);

export const targetsChangedV1 = Type.Object(
  {
    version: v1,
    reason: Type.String({
      minLength: 1,
      description: 'Why these pairs need a new decision: winner, config, environment-value, environment, toggle, redeploy, status, sweep.',
    }),
    pairs: Type.Array(announcedPair, { maxItems: 1000 }),
    force: Type.Optional(Type.Boolean({ description: 'Set for reason `redeploy`: deploy even when the desired state is unchanged.' })),
  },
  closed,
);

export const deployRequestedV1 = Type.Object(
  {
    version: v1,
    aggregateVersion,
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
  { version: v1, aggregateVersion, diid: uuid, environmentId: uuid, feature: str, status: deployStatus, hash: str, error: nullable(Type.String()) },
  closed,
);

export const inventoryReportedV1 = Type.Object(
  {
    version: v1,
    aggregateVersion,
    environmentId: uuid,
    real: Type.Boolean({ description: 'naisd ran on a cluster: what it lists (and misses) is what runs there' }),
  },
  {
    ...closed,
    description:
      "An environment's agent reported its releases (recorded in dispatcher_api.releases and inventories): the reconciler compares them with what it deployed (drift).",
  },
);

/** A compact JWS of a signed instruction: room for 4 MB of sealed values, base64url-encoded once more. */
export const MAX_INSTRUCTION_JWS_LENGTH = 6_000_000;

export const signedInstructionV2 = Type.Object(
  {
    version: Type.Literal('v2'),
    jws: Type.String({
      minLength: 1,
      maxLength: MAX_INSTRUCTION_JWS_LENGTH,
      description: 'A JWT (compact JWS, alg Ed25519, typ fasit-instruction+jwt) signed by the dispatcher; its claims are instructionClaimsV2.',
    }),
  },
  {
    ...closed,
    description:
      "What the dispatcher sends to one environment's agent (naisd.instructions.v2.<tenant>.<environment>, or on its shard naisd.instructions.v3.shard-<k> with the attribute environment=<tenant>/<environment>): a signed instruction. The agent acts on the verified claims only (InstructionVerifier). v1 carried it unsigned (docs/decisions/0010).",
  },
);

/** A release name as helm takes it (a DNS label of at most 53 characters): never anything helm could read as a flag. */
const releaseName = Type.String({ pattern: '^[a-z0-9]([-a-z0-9]{0,51}[a-z0-9])?$' });
const timeoutMs = Type.Integer({ minimum: 0 });
const seconds = Type.Integer({ minimum: 0, description: 'Seconds since the epoch (JWT).' });

export const instructionBody = Type.Union([
  Type.Object(
    {
      action: Type.Literal('deploy'),
      release: releaseName,
      chart: Type.String({ pattern: '^oci://', description: 'oci://host/repository/name' }),
      chartDigest: Type.String({
        pattern: '^sha256:[a-f0-9]{64}$',
        description: "The chart's manifest digest: helm pulls exactly this, whatever the tag points to now.",
      }),
      featureVersion: Type.String({ pattern: '^[^-]' }),
      hash: Type.String({ minLength: 1, description: "The desired-state hash, carried on the agent's reports." }),
      timeoutMs,
      sealedValues: Type.String({
        minLength: 1,
        maxLength: 4_000_000,
        description: "The values, sealed for this environment's agent (sealForAgent in @fasit/domain, bound to the diid).",
      }),
    },
    closed,
  ),
  Type.Object({ action: Type.Literal('uninstall'), release: releaseName, timeoutMs }, closed),
]);

export const instructionClaimsV2 = Type.Object(
  {
    iss: Type.Literal('fasit-dispatcher'),
    aud: Type.String({ pattern: '^[^/]+/[^/]+$', description: '<tenant>/<environment>: the one agent that may run it.' }),
    jti: Type.String({ format: 'uuid', description: 'The deploy instruction id (diid).' }),
    iat: seconds,
    nbf: seconds,
    exp: seconds,
    instruction: instructionBody,
  },
  { ...closed, description: 'The claims of a signed instruction: all of it, so that a change to any part breaks the signature.' },
);

export const instructionRefusalReason = Type.Union(
  (['malformed', 'unsigned', 'algorithm', 'unknown-key', 'bad-signature', 'wrong-environment', 'expired', 'not-yet-valid', 'replayed'] as const).map((r) =>
    Type.Literal(r),
  ),
);

export const helmRelease = Type.Object(
  {
    name: str,
    chartVersion: Type.String(),
    status: Type.String(),
    revision: Type.Integer(),
    lastDeployed: nullable(Type.String()),
    valuesHash: Type.Optional(
      Type.String({
        pattern: '^[a-f0-9]{64}$',
        description:
          "SHA-256 (hex) of the canonical JSON (@fasit/domain canonicalJson) of the values helm holds for the release (helm get values): what Fasit passed, unless someone changed them behind its back. Only in a real inventory, only for releases in the agent's own namespace.",
      }),
    ),
  },
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
  Type.Object(
    {
      type: Type.Literal('heartbeat'),
      agentVersion: str,
      capabilities: Type.Optional(
        Type.Array(Type.String({ pattern: '^[a-z0-9][a-z0-9.-]{0,62}$' }), {
          maxItems: 32,
          description:
            "What the agent understands beyond the base protocol: `instructions.v3` (it pulls its filtered subscription on its shard, decision 0024). An older agent omits it (read as none): it gets the v2 instructions on its environment's topic.",
        }),
      ),
    },
    closed,
  ),
  Type.Object(
    {
      type: Type.Literal('inventory'),
      releases: Type.Array(helmRelease, { maxItems: 5000 }),
      real: Type.Optional(
        Type.Boolean({
          description:
            "True: the releases a cluster's release storage holds (naisd in cluster mode). Absent or false: an inventory that says nothing about a cluster (a dry-run agent's memory driver holds no releases), never read as drift.",
        }),
      ),
      takenAt: Type.Optional(
        Type.String({
          maxLength: 64,
          description:
            "When the agent asked helm for the list (ISO 8601, its clock): what the inventory shows is at least that new. Absent (an older naisd): the report's sentAt, which can be later than the list when a deploy ran between the list and the report.",
        }),
      ),
    },
    closed,
  ),
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
  Type.Object(
    {
      type: Type.Literal('refused'),
      diid: nullable(uuid),
      reason: instructionRefusalReason,
      verified: Type.Boolean(),
      error: Type.String({ maxLength: 2000 }),
    },
    {
      ...closed,
      description:
        "A message on the agent's instruction topic that it did not run. diid is the one the message claims (null if none can be read); verified says whether the signature held, i.e. whether the diid and its environment are the control plane's own or merely claimed.",
    },
  ),
]);

export const agentReportV1 = Type.Object(
  { version: v1, tenant: str, environment: str, sentAt: str, report: agentReport },
  { ...closed, description: "What an agent reports. The tenant/environment fields are checked against the message's signature." },
);
