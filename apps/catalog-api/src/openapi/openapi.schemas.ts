import { decisionActions, driftKinds, driftPolicies } from '@fasit/domain';

// Response schemas of the OpenAPI document (JSON Schema 2020-12, as OpenAPI 3.1 uses). The openapi test validates
// real answers of the running app against them.
const str = { type: 'string' };
const nstr = { type: ['string', 'null'] };
const time = { type: 'string', format: 'date-time' };
const ntime = { type: ['string', 'null'], format: 'date-time' };
const labels = { type: 'object', additionalProperties: { type: 'string' } };
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const obj = (properties: Record<string, object>, required: string[] = Object.keys(properties)) => ({ type: 'object', required, properties });
const pairState = { enum: ['DISABLED', 'PENDING', 'DEPLOYED', 'FAILED', 'UNKNOWN'] };
const drift = {
  description:
    'What runs differs from what Fasit deployed, as the reconciler last saw it in a real inventory (docs/operations.md#drift); null: none known, or no real inventory (a dry-run agent)',
  oneOf: [
    { type: 'null' },
    obj({
      kind: { enum: [...driftKinds] },
      message: str,
      policy: { enum: [...driftPolicies] },
      since: time,
      checkedAt: time,
      corrections: { type: 'integer' },
      lastCorrectionAt: ntime,
    }),
  ],
};
const role = { enum: ['viewer', 'operator', 'admin'] };
const strs = { type: 'array', items: str };
const nint = { type: ['integer', 'null'] };
const deployStatuses = ['sent', 'installing', 'deployed', 'failed'] as const;
const templateData = obj({ envKeys: strs, configKeys: strs, featureVersion: nstr });

export const responseSchemas: Record<string, object> = {
  ConsoleConfig: obj({ authMode: { enum: ['dev', 'oidc'] }, oidc: { oneOf: [{ type: 'null' }, obj({ authority: str, clientId: str, scope: str })] } }),
  Explanation: obj({
    tenant: str,
    environment: str,
    environmentId: str,
    feature: str,
    state: pairState,
    stateMessage: str,
    next: obj({ action: { enum: [...decisionActions, 'no-assignment', 'undecided'] }, message: str }),
    assignments: {
      type: 'array',
      items: obj({
        id: str,
        version: str,
        target: labels,
        createdAt: time,
        outcome: { enum: ['winner', 'fewer-labels', 'older', 'tie-by-id'] },
        reason: str,
        conflict: { type: 'boolean' },
      }),
    },
    winner: { oneOf: [{ type: 'null' }, obj({ id: str, version: str })] },
    kind: { oneOf: [{ type: 'null' }, obj({ environment: str, feature: { type: 'array', items: str }, ok: { type: 'boolean' } })] },
    dependencies: {
      type: 'array',
      items: obj({
        feature: str,
        rule: { enum: ['allOf', 'anyOf'] },
        assigned: { type: 'boolean' },
        status: { enum: [...deployStatuses, null] },
        version: nstr,
        deployed: { type: 'boolean' },
      }),
    },
    missingDependencies: { type: 'array', items: str },
    disabled: { oneOf: [{ type: 'null' }, obj({ reason: str, by: str, at: time })] },
    reconcile: { type: 'boolean' },
    agent: obj({ health: { enum: ['healthy', 'unhealthy', 'never-seen'] }, reportedAt: ntime, version: nstr, windowMs: { type: 'integer' } }),
    desired: obj({
      hash: nstr,
      version: nstr,
      decision: { oneOf: [{ type: 'null' }, obj({ action: { enum: [...decisionActions] }, message: str, at: time })] },
    }),
    lastDeploy: {
      oneOf: [
        { type: 'null' },
        obj({
          diid: str,
          status: { enum: [...deployStatuses] },
          version: str,
          hash: str,
          sameHash: { type: 'boolean' },
          error: nstr,
          at: time,
          log: { type: 'array', items: obj({ time: str, msg: str, kind: str }) },
        }),
      ],
    },
    retry: obj({ failures: { type: 'integer' }, maxAttempts: { type: 'integer' }, nextAt: ntime, exhausted: { type: 'boolean' } }),
    drift,
  }),
  TemplateTest: {
    oneOf: [
      obj({
        ok: { const: true },
        output: str,
        value: {},
        yamlError: nstr,
        references: obj({ fields: strs, functions: strs, variables: strs, templates: strs }),
        data: templateData,
      }),
      obj({ ok: { const: false }, stage: { enum: ['parse', 'execute', 'data'] }, message: str, line: nint, column: nint, data: templateData }),
    ],
  },
  TemplateFunction: obj({ name: str, signature: str, origin: { enum: ['sprig', 'fasit'] }, group: str, description: str, example: str, output: str }),
  Whoami: {
    ...obj({
      name: { type: 'string', description: 'e-mail (OIDC), token:<name> (API token), <actor>@<owner/repo>/<run> (GitHub Actions), local-dev' },
      kind: { enum: ['dev', 'user', 'token', 'github'] },
      grants: {
        type: 'array',
        description:
          'the roles the caller holds: tenant null is global. A UI offers an action when a grant covers it: the role (viewer < operator < admin) globally or on the tenant the thing lives in',
        items: obj({ role, tenant: nstr }),
      },
    }),
    properties: {
      name: { type: 'string' },
      kind: { enum: ['dev', 'user', 'token', 'github'] },
      grants: { type: 'array', items: obj({ role, tenant: nstr }) },
      repository: { type: 'string', description: 'GitHub Actions callers: the repository the workflow runs in' },
      source: { type: 'object', description: 'GitHub Actions callers: repository, commit and run, from the verified token' },
    },
  },
  Tenant: obj({ id: str, name: str, description: str, createdAt: time }),
  Environment: obj({
    id: str,
    tenant: str,
    name: str,
    kind: { enum: ['management', 'tenant', 'onprem', 'legacy'] },
    description: str,
    labels,
    reconcile: { type: 'boolean' },
    driftPolicy: { enum: [...driftPolicies] },
    oidcIssuer: nstr,
    oidcDiscoveryUrl: nstr,
    createdAt: time,
  }),
  EnvironmentValue: obj({
    environmentId: str,
    tenant: str,
    environment: str,
    key: str,
    value: {},
    secret: { type: 'boolean' },
    masked: { type: 'boolean' },
    updatedAt: time,
  }),
  Config: obj({
    feature: str,
    environmentId: nstr,
    tenant: nstr,
    environment: nstr,
    key: str,
    type: { enum: ['string', 'int', 'bool', 'string_array', null] },
    value: {},
    secret: { type: 'boolean' },
    masked: { type: 'boolean' },
    description: str,
    updatedBy: str,
    updatedAt: time,
  }),
  FeatureSummary: obj({ name: str, latestVersion: str, chart: str, description: str, versions: { type: 'integer' }, activeAssignments: { type: 'integer' } }),
  FeatureDetail: obj({
    name: str,
    latestVersion: str,
    chart: str,
    description: str,
    versions: { type: 'integer' },
    activeAssignments: { type: 'integer' },
    kinds: { type: 'array', items: str },
    configKeys: {
      type: 'array',
      items: obj(
        {
          key: str,
          type: { enum: ['string', 'int', 'bool', 'string_array'] },
          secret: { type: 'boolean' },
          required: { type: 'boolean' },
          description: nstr,
          default: {},
        },
        ['key', 'type', 'secret', 'required', 'description'],
      ),
    },
    computedKeys: { type: 'array', items: str },
    dependencies: { type: 'array', items: obj({ allOf: { type: 'array', items: str }, anyOf: { type: 'array', items: str } }, []) },
    featureYaml: str,
  }),
  VersionListing: obj({
    feature: str,
    stored: { type: 'array', items: ref('FeatureVersion') },
    registry: obj({ chart: str, tags: { type: 'array', items: str }, notStored: { type: 'array', items: str }, error: nstr }),
  }),
  FeatureVersion: obj({
    feature: str,
    version: str,
    chart: str,
    chartDigest: str,
    description: str,
    source: nstr,
    kinds: { type: 'array', items: str },
    createdAt: time,
  }),
  Assignment: obj({
    id: str,
    feature: str,
    version: str,
    target: labels,
    description: str,
    sourceRef: { type: ['object', 'null'] },
    active: { type: 'boolean' },
    createdBy: str,
    createdAt: time,
    deactivatedAt: ntime,
    replacedBy: nstr,
  }),
  AssignmentDeactivation: {
    allOf: [{ $ref: '#/components/schemas/Assignment' }],
    type: 'object',
    required: ['fallback'],
    properties: {
      fallback: {
        type: 'array',
        description: 'where the assignment won, and what wins there now',
        items: obj({ tenant: str, environment: str, next: { type: ['object', 'null'] }, downgrade: { type: 'boolean' } }),
      },
    },
  },
  AssignmentStatus: obj({
    id: str,
    feature: str,
    version: str,
    state: { enum: ['UNKNOWN', 'PENDING', 'DEPLOYED', 'FAILED', 'DISABLED', 'NO_TARGETS'] },
    environments: { type: 'array', items: obj({ environmentId: str, tenant: str, environment: str, state: pairState, message: str, updatedAt: ntime }) },
  }),
  EnvironmentFeature: obj({
    tenant: str,
    environment: str,
    environmentId: str,
    feature: str,
    state: pairState,
    message: str,
    disabled: { oneOf: [{ type: 'null' }, obj({ reason: str, by: str, at: time })] },
    reconcile: { type: 'boolean' },
    desired: { oneOf: [{ type: 'null' }, obj({ assignmentId: str, version: str, target: labels })] },
    current: { oneOf: [{ type: 'null' }, obj({ version: str, since: str })] },
    rendered: {
      oneOf: [
        { type: 'null' },
        obj({ featureVersion: nstr, hash: nstr, at: time, values: {}, provenance: {}, masked: { type: 'array', items: str }, revealed: { type: 'boolean' } }),
      ],
    },
    lastDecision: { oneOf: [{ type: 'null' }, obj({ action: str, message: str, featureVersion: nstr, assignmentId: nstr, hash: nstr, at: time })] },
    deploys: {
      type: 'array',
      items: obj({
        diid: str,
        featureVersion: str,
        assignmentId: nstr,
        hash: str,
        status: { enum: ['sent', 'installing', 'deployed', 'failed'] },
        error: nstr,
        startedAt: time,
        updatedAt: time,
        history: { type: 'array', items: obj({ status: str, error: nstr, at: time }) },
        logs: { type: 'array', items: obj({ time: str, msg: str, kind: str }) },
      }),
    },
    drift,
  }),
  EnvironmentFeatureSummary: obj({
    feature: str,
    state: pairState,
    message: str,
    desiredVersion: nstr,
    assignmentId: nstr,
    lastDeployedVersion: nstr,
    disabledReason: nstr,
  }),
  ReleaseInventory: obj({
    tenant: str,
    environment: str,
    agent: { oneOf: [{ type: 'null' }, obj({ reportedAt: time, version: nstr })] },
    releases: {
      type: 'array',
      items: obj({
        name: str,
        chartVersion: str,
        status: str,
        revision: { type: 'integer' },
        lastDeployed: ntime,
        agent: { type: 'boolean' },
        orphan: { type: 'boolean' },
        desiredVersion: nstr,
      }),
    },
  }),
  AuditEntry: obj({
    id: str,
    actor: str,
    action: str,
    objectType: str,
    objectId: str,
    environmentId: nstr,
    feature: nstr,
    description: str,
    before: {},
    after: {},
    metadata: { type: 'object' },
    createdAt: time,
  }),
  ApiToken: obj({ id: str, name: str, role, tenant: nstr, createdBy: str, createdAt: time, expiresAt: ntime, revokedAt: ntime, lastUsedAt: ntime }),
  RoleBinding: obj({ id: str, subject: str, role, tenant: nstr, createdBy: str, createdAt: time }),
  Preview: obj({
    feature: str,
    version: str,
    target: labels,
    replaces: { oneOf: [{ type: 'null' }, obj({ id: str, version: str, target: labels })] },
    environments: {
      type: 'array',
      items: obj({
        environmentId: str,
        tenant: str,
        environment: str,
        kind: str,
        outcome: { enum: ['reach', 'kept', 'kind-mismatch'] },
        current: { oneOf: [{ type: 'null' }, obj({ id: str, version: str, target: labels })] },
        currentVersion: nstr,
        valueDiff: {
          oneOf: [
            { type: 'null' },
            obj({
              ok: { const: true },
              changes: {
                type: 'array',
                items: obj({ key: str, change: { enum: ['added', 'removed', 'changed'] }, before: {}, after: {}, secret: { type: 'boolean' } }, [
                  'key',
                  'change',
                  'secret',
                ]),
              },
            }),
            obj({ ok: { const: false }, action: str, message: str }),
          ],
        },
      }),
    },
  }),
};

export const schemaRef = ref;
export const listOf = (name: string) => ({ type: 'array', items: ref(name) });
