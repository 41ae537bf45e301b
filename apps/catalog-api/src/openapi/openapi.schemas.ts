import { decisionActions } from '@fasit/domain';
import { apiTokenView, role, roleBindingView } from '../auth/access.schemas.js';
import { labels, nint, nstr, ntime, str, strs, time } from '../common/api-schema.js';
import { assignmentView } from '../assignments/assignment.schemas.js';
import { auditView } from '../audit/audit.schemas.js';
import { featureConfigView } from '../feature-config/feature-config.schemas.js';
import {
  deployStatuses,
  driftAnswer,
  environmentFeatureSummary,
  environmentFeatureView,
  pairState,
} from '../environment-features/environment-feature.schemas.js';
import { environmentValueView } from '../environment-values/environment-value.schemas.js';
import { environmentView } from '../environments/environment.schemas.js';
import { featureDetail, featureSummary, featureVersionView, versionListing } from '../features/feature.schemas.js';
import { releaseInventory } from '../releases/release.schemas.js';
import { tenantView } from '../tenants/tenant.schemas.js';

// Response schemas of the OpenAPI document (JSON Schema 2020-12, as OpenAPI 3.1 uses). The views of the capabilities
// are their own `*.schemas.ts` (TypeBox: the services' view types are derived from them, so a schema and what the
// service returns cannot differ and compile); the answers assembled here (explain, template test, whoami, assignment
// status and preview) are checked at run time: the openapi test validates real answers of the running app against
// every schema of this document.
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const obj = (properties: Record<string, object>, required: string[] = Object.keys(properties)) => ({ type: 'object', required, properties });
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
    drift: driftAnswer,
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
  Tenant: tenantView,
  Environment: environmentView,
  EnvironmentValue: environmentValueView,
  Config: featureConfigView,
  FeatureSummary: featureSummary,
  FeatureDetail: featureDetail,
  VersionListing: versionListing,
  FeatureVersion: featureVersionView,
  Assignment: assignmentView,
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
  EnvironmentFeature: environmentFeatureView,
  EnvironmentFeatureSummary: environmentFeatureSummary,
  ReleaseInventory: releaseInventory,
  AuditEntry: auditView,
  ApiToken: apiTokenView,
  RoleBinding: roleBindingView,
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
