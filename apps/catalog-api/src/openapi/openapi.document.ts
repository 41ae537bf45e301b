// The OpenAPI 3.1 document of the REST API. Request bodies are the same JSON Schemas the handlers validate with,
// so the document cannot drift from the validation; a test checks that every route the app serves is described
// here and every path described here is served.
import { issueTokenSchema, bindSchema } from '../auth/access.schemas.js';
import { createAssignmentSchema, previewSchema } from '../assignments/assignment.schemas.js';
import { putFeatureConfigSchema } from '../feature-config/feature-config.schemas.js';
import { disableSchema } from '../environment-features/environment-feature.schemas.js';
import { putValueSchema } from '../environment-values/environment-value.schemas.js';
import { createEnvironmentSchema, updateEnvironmentSchema } from '../environments/environment.schemas.js';
import { ingestSchema } from '../features/feature.schemas.js';
import { githubAssignmentSchema } from '../github/github.schemas.js';
import { templateTestSchema } from '../templates/template-test.schemas.js';
import { createTenantSchema, updateTenantSchema } from '../tenants/tenant.schemas.js';
import { listOf, responseSchemas, schemaRef } from './openapi.schemas.js';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

interface Route {
  method: Method;
  path: string;
  tag: string;
  summary: string;
  body?: object;
  query?: Record<string, string>;
  /** Success status (default 200; 201 for creations). */
  status?: number;
  response?: object;
  public?: boolean;
  /** Server-sent events (`text/event-stream`): the named events and what each carries. */
  events?: Record<string, string>;
  /** A text answer of this media type (not JSON). */
  text?: string;
}

const obj = (description: string): object => ({ type: 'object', description });
const reveal = { reveal: 'true to show secrets (operator role; audited)' };

const T = '/api/v1/tenants/{tenant}';
const E = `${T}/environments/{env}`;

export const ROUTES: Route[] = [
  { method: 'get', path: '/healthz', tag: 'health', summary: 'Liveness', public: true, response: obj('{status}') },
  { method: 'get', path: '/readyz', tag: 'health', summary: 'Readiness (database reachable)', public: true, response: obj('{status}') },
  {
    method: 'get',
    path: '/metrics',
    tag: 'health',
    summary: 'Prometheus metrics: requests by route template, events published, the outbox backlog (bounded labels, no tenant data; docs/operations.md)',
    public: true,
    text: 'text/plain; version=0.0.4',
  },
  { method: 'get', path: '/schema/feature.json', tag: 'features', summary: 'The Feature.yaml JSON Schema', public: true, response: obj('JSON Schema') },
  { method: 'get', path: '/api/v1/openapi.json', tag: 'meta', summary: 'This document', public: true, response: obj('OpenAPI 3.1') },
  { method: 'get', path: '/api/v1/docs', tag: 'meta', summary: 'A browsable page of this document (HTML)', public: true },
  {
    method: 'get',
    path: '/api/v1/console-config',
    tag: 'meta',
    summary: 'What the web console needs before sign-in: the auth mode and its OIDC provider',
    public: true,
    response: schemaRef('ConsoleConfig'),
  },
  {
    method: 'get',
    path: '/api/v1/whoami',
    tag: 'access',
    summary: 'The caller: name, kind and grants ({role, tenant}; tenant null is global), to offer only what it may do',
    response: schemaRef('Whoami'),
  },
  {
    method: 'post',
    path: '/api/v1/tokens',
    tag: 'access',
    summary: 'Issue an API token (shown once; global admin, or tenant admin for its tenant)',
    body: issueTokenSchema,
    status: 201,
    response: obj('token view plus `token`'),
  },
  {
    method: 'get',
    path: '/api/v1/tokens',
    tag: 'access',
    summary: 'List API tokens the caller administers (never the token itself)',
    response: listOf('ApiToken'),
  },
  { method: 'delete', path: '/api/v1/tokens/{id}', tag: 'access', summary: 'Revoke an API token', response: schemaRef('ApiToken') },
  {
    method: 'post',
    path: '/api/v1/role-bindings',
    tag: 'access',
    summary: 'Grant a role to an OIDC subject, globally or on a tenant',
    body: bindSchema,
    status: 201,
    response: schemaRef('RoleBinding'),
  },
  { method: 'get', path: '/api/v1/role-bindings', tag: 'access', summary: 'List role bindings', response: listOf('RoleBinding') },
  { method: 'delete', path: '/api/v1/role-bindings/{id}', tag: 'access', summary: 'Remove a role binding', status: 204 },
  {
    method: 'post',
    path: '/api/v1/tenants',
    tag: 'tenants',
    summary: 'Create a tenant (global admin)',
    body: createTenantSchema,
    status: 201,
    response: schemaRef('Tenant'),
  },
  { method: 'get', path: '/api/v1/tenants', tag: 'tenants', summary: 'List the tenants the caller sees', response: listOf('Tenant') },
  { method: 'get', path: T, tag: 'tenants', summary: 'Get a tenant', response: schemaRef('Tenant') },
  { method: 'patch', path: T, tag: 'tenants', summary: 'Update the description', body: updateTenantSchema, response: schemaRef('Tenant') },
  { method: 'delete', path: T, tag: 'tenants', summary: 'Delete a tenant (409 while it has environments)', status: 204 },
  {
    method: 'post',
    path: `${T}/environments`,
    tag: 'environments',
    summary: 'Create an environment (labels name, tenant, kind are added)',
    body: createEnvironmentSchema,
    status: 201,
    response: schemaRef('Environment'),
  },
  {
    method: 'get',
    path: `${T}/environments`,
    tag: 'environments',
    summary: 'List environments',
    query: { labels: 'label selector k=v,k2=v2' },
    response: listOf('Environment'),
  },
  { method: 'get', path: E, tag: 'environments', summary: 'Get an environment', response: schemaRef('Environment') },
  {
    method: 'patch',
    path: E,
    tag: 'environments',
    summary: 'Update labels (merge, or replace with labelsMode=replace), description, reconcile, driftPolicy',
    body: updateEnvironmentSchema,
    response: schemaRef('Environment'),
  },
  {
    method: 'delete',
    path: E,
    tag: 'environments',
    summary: 'Delete an environment (409 while its agent reports releases, unless force)',
    query: { force: 'true to delete anyway (uninstalls nothing)' },
    status: 204,
  },
  {
    method: 'get',
    path: `${E}/values`,
    tag: 'environment values',
    summary: 'List the environment values',
    query: reveal,
    response: listOf('EnvironmentValue'),
  },
  { method: 'get', path: `${E}/values/{key}`, tag: 'environment values', summary: 'Get one value', query: reveal, response: schemaRef('EnvironmentValue') },
  {
    method: 'put',
    path: `${E}/values/{key}`,
    tag: 'environment values',
    summary: 'Set a value (any JSON; secret values are encrypted at rest)',
    body: putValueSchema,
    response: schemaRef('EnvironmentValue'),
  },
  { method: 'delete', path: `${E}/values/{key}`, tag: 'environment values', summary: 'Delete a value', status: 204 },
  {
    method: 'get',
    path: '/api/v1/values',
    tag: 'environment values',
    summary: 'One key across every environment the caller sees',
    query: { key: 'the value key (required)', ...reveal },
    response: listOf('EnvironmentValue'),
  },
  {
    method: 'post',
    path: '/api/v1/features',
    tag: 'features',
    summary: 'Ingest a version from an OCI chart reference without assigning it (201 new, 200 already stored, 409 new digest)',
    body: ingestSchema,
    status: 201,
    response: obj('version with `created`'),
  },
  { method: 'get', path: '/api/v1/features', tag: 'features', summary: 'List features', response: listOf('FeatureSummary') },
  {
    method: 'get',
    path: '/api/v1/features/{name}',
    tag: 'features',
    summary: 'A feature: latest version, config keys with types and defaults',
    response: schemaRef('FeatureDetail'),
  },
  {
    method: 'get',
    path: '/api/v1/features/{name}/versions',
    tag: 'features',
    summary: 'Stored versions and the tags the registry has',
    response: schemaRef('VersionListing'),
  },
  {
    method: 'get',
    path: '/api/v1/features/{name}/versions/{version}',
    tag: 'features',
    summary: 'One stored version with its Feature.yaml and values.yaml',
    response: obj('version'),
  },
  {
    method: 'get',
    path: '/api/v1/features/{feature}/config',
    tag: 'configuration',
    summary: 'Global configuration of a feature',
    query: reveal,
    response: listOf('Config'),
  },
  {
    method: 'get',
    path: '/api/v1/features/{feature}/config/{key}',
    tag: 'configuration',
    summary: 'One global config value',
    query: reveal,
    response: schemaRef('Config'),
  },
  {
    method: 'get',
    path: '/api/v1/features/{feature}/config/{key}/environments',
    tag: 'configuration',
    summary:
      'One config key compared across environments: the global value (global viewers only) first, then every environment the caller sees that overrides it',
    query: reveal,
    response: listOf('Config'),
  },
  {
    method: 'put',
    path: '/api/v1/features/{feature}/config/{key}',
    tag: 'configuration',
    summary: 'Set a global config value (typed by Feature.yaml; unknown keys refused)',
    body: putFeatureConfigSchema,
    response: schemaRef('Config'),
  },
  { method: 'delete', path: '/api/v1/features/{feature}/config/{key}', tag: 'configuration', summary: 'Delete a global config value', status: 204 },
  {
    method: 'get',
    path: `${E}/features/{feature}/config`,
    tag: 'configuration',
    summary: 'Configuration of a feature in an environment',
    query: reveal,
    response: listOf('Config'),
  },
  {
    method: 'get',
    path: `${E}/features/{feature}/config/{key}`,
    tag: 'configuration',
    summary: 'One config value in an environment',
    query: reveal,
    response: schemaRef('Config'),
  },
  {
    method: 'put',
    path: `${E}/features/{feature}/config/{key}`,
    tag: 'configuration',
    summary: 'Set a config value for an environment (overrides the global one)',
    body: putFeatureConfigSchema,
    response: schemaRef('Config'),
  },
  { method: 'delete', path: `${E}/features/{feature}/config/{key}`, tag: 'configuration', summary: 'Delete a config value of an environment', status: 204 },
  {
    method: 'get',
    path: `${E}/features`,
    tag: 'environment features',
    summary: 'Every feature an assignment brings to the environment (or disabled there), with its state',
    response: listOf('EnvironmentFeatureSummary'),
  },
  {
    method: 'get',
    path: `${E}/features/{feature}`,
    tag: 'environment features',
    summary: 'A feature in an environment: state, desired and current version, rendered values (masked), last decision, deploy history with logs',
    query: reveal,
    response: schemaRef('EnvironmentFeature'),
  },
  {
    method: 'post',
    path: `${E}/features/{feature}/disable`,
    tag: 'environment features',
    summary: 'Disable (reason required)',
    body: disableSchema,
    response: schemaRef('EnvironmentFeature'),
  },
  { method: 'post', path: `${E}/features/{feature}/enable`, tag: 'environment features', summary: 'Enable again', response: schemaRef('EnvironmentFeature') },
  {
    method: 'get',
    path: `${E}/features/{feature}/explain`,
    tag: 'environment features',
    summary:
      'Why the feature is or is not deployed here and what happens next: matching assignments and the winner, kind, dependencies, disabled, agent health, desired vs last deployed hash, last deploy with log excerpt, retries',
    response: schemaRef('Explanation'),
  },
  {
    method: 'get',
    path: `${E}/features/{feature}/deploys/{diid}/log`,
    tag: 'environment features',
    summary: "A deploy's helm log as the agent reports it, live (server-sent events), until the deploy settles",
    events: {
      line: '{time, msg, kind}: one log line, from the first',
      status: '{status, error}: the deploy status when it changes',
      end: '{status, error}: the deploy settled; the stream ends',
    },
  },
  {
    method: 'post',
    path: `${E}/features/{feature}/redeploy`,
    tag: 'environment features',
    summary: 'Deploy again although nothing changed',
    status: 202,
    response: obj('{requested}'),
  },
  {
    method: 'get',
    path: `${E}/releases`,
    tag: 'releases',
    summary: 'The Helm releases the agent reported (orphans flagged)',
    response: schemaRef('ReleaseInventory'),
  },
  {
    method: 'post',
    path: `${E}/releases/{name}/uninstall`,
    tag: 'releases',
    summary: 'Ask the agent to uninstall a release (not the agent itself)',
    status: 202,
    response: obj('{diid, release}'),
  },
  {
    method: 'post',
    path: '/api/v1/assignments',
    tag: 'assignments',
    summary: 'Create an assignment (ingests the chart when given one); replaces the active one with the same target',
    body: createAssignmentSchema,
    status: 201,
    response: schemaRef('Assignment'),
  },
  {
    method: 'get',
    path: '/api/v1/assignments',
    tag: 'assignments',
    summary: 'List assignments, newest first; a Link header (rel="next") names the next page',
    query: {
      feature: 'feature name',
      active: 'true or false',
      environment: 'tenant/environment: assignments matching it',
      limit: '1-1000 (100)',
      before: 'assignment id (paging)',
    },
    response: listOf('Assignment'),
  },
  {
    method: 'post',
    path: '/api/v1/assignments/preview',
    tag: 'assignments',
    summary: 'What an assignment would reach and replace, with the value diff per environment, without saving it',
    body: previewSchema,
    response: schemaRef('Preview'),
  },
  { method: 'get', path: '/api/v1/assignments/{id}', tag: 'assignments', summary: 'Get an assignment', response: schemaRef('Assignment') },
  {
    method: 'get',
    path: '/api/v1/assignments/{id}/status/stream',
    tag: 'assignments',
    summary: 'The status as GET …/status answers it, now and on every change (server-sent events)',
    events: { status: 'AssignmentStatus' },
  },
  {
    method: 'get',
    path: '/api/v1/assignments/{id}/status',
    tag: 'assignments',
    summary: 'UNKNOWN/PENDING/DEPLOYED/FAILED/DISABLED/NO_TARGETS overall and per environment',
    response: schemaRef('AssignmentStatus'),
  },
  {
    method: 'post',
    path: '/api/v1/assignments/{id}/deactivate',
    tag: 'assignments',
    summary: 'Deactivate (uninstalls nothing); 409 when an older version would take over somewhere, unless confirm',
    query: { confirm: 'true to deactivate even where an older version takes over' },
    response: schemaRef('AssignmentDeactivation'),
  },
  {
    method: 'post',
    path: '/github/assignment',
    tag: 'github',
    summary: 'Create an assignment from a GitHub Action (original shape); 400 when the target reaches no environment or names a tenant that does not exist',
    body: githubAssignmentSchema,
    status: 201,
    response: obj('{id}'),
  },
  {
    method: 'get',
    path: '/github/assignment/{id}',
    tag: 'github',
    summary: 'State of an assignment (original shape), with why it FAILED or has NO_TARGETS in `message`',
    response: obj('{id, state, message?}'),
  },
  {
    method: 'post',
    path: '/github/deployment',
    tag: 'github',
    summary: 'Legacy name of POST /github/assignment',
    body: githubAssignmentSchema,
    status: 201,
    response: obj('{id}'),
  },
  { method: 'get', path: '/github/deployment/{id}', tag: 'github', summary: 'Legacy name of GET /github/assignment/{id}', response: obj('{id, state}') },
  {
    method: 'get',
    path: '/api/v1/audit',
    tag: 'audit',
    summary: 'Audit entries, newest first; a Link header (rel="next") names the next page',
    query: {
      actor: 'who',
      object: 'object id, object type, or type:id',
      environment: 'environment id or tenant/environment',
      feature: 'feature name',
      q: 'text in the description',
      limit: '1-1000 (100)',
      before: 'entry id (paging)',
    },
    response: listOf('AuditEntry'),
  },
  {
    method: 'get',
    path: '/api/tenants',
    tag: 'legacy',
    summary: "The original's tenant list with environments and gcpProjectID (now authenticated, and only the tenants the caller sees)",
    response: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'name', 'environments'],
        properties: { id: { type: 'string' }, name: { type: 'string' }, environments: { type: 'array' } },
      },
    },
  },
  {
    method: 'post',
    path: '/api/v1/templates/test',
    tag: 'templates',
    summary:
      "Render a template with an environment's data (secrets masked), optionally a feature's .Configs: the output, or the error with its line and column",
    body: templateTestSchema,
    response: schemaRef('TemplateTest'),
  },
  {
    method: 'get',
    path: '/api/v1/templates/functions',
    tag: 'templates',
    summary: 'Every template function: Go signature, group, description, an example and its output',
    response: listOf('TemplateFunction'),
  },
  {
    method: 'get',
    path: '/api/v1/reconciler/dry-run',
    tag: 'reconciler',
    summary:
      'What the reconciler would decide now for every (environment, feature) the caller sees, rendered with its rules; writes and sends nothing (server-sent events)',
    events: { decision: '{tenant, environment, feature, version, action, message}', summary: '{pairs, byAction, fetchMs, computeMs}', error: '{message}' },
  },
  {
    method: 'post',
    path: '/api/v1/admin/secrets/rotate',
    tag: 'admin',
    summary: 'Re-seal every secret with the first key of FASIT_SECRET_KEYS (global admin)',
    response: obj('{activeKey, environmentValues, configs}'),
  },
];

const problem = {
  type: 'object',
  required: ['code', 'message'],
  properties: {
    code: {
      type: 'string',
      description:
        'INVALID_INPUT, INVALID_FEATURE, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, ALREADY_EXISTS, CONFLICT, PAYLOAD_TOO_LARGE, UPSTREAM_ERROR, UPSTREAM_UNAVAILABLE, INTERNAL',
    },
    message: { type: 'string' },
    field: { type: 'string', description: 'the input field at fault' },
    details: {},
  },
};

export function openApiDocument(): object {
  const paths: Record<string, Record<string, object>> = {};
  for (const r of ROUTES) {
    const params = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const query = Object.entries(r.query ?? {}).map(([name, description]) => ({ name, in: 'query', required: false, description, schema: { type: 'string' } }));
    const status = String(r.status ?? 200);
    const errors = (r.public ? {} : { '400': ref(), '401': ref(), '403': ref(), '404': ref(), '409': ref() }) as Record<string, object>;
    paths[r.path] ??= {};
    paths[r.path]![r.method] = {
      tags: [r.tag],
      summary: r.summary,
      operationId: `${r.method}${r.path.replace(/\{(\w+)\}/g, 'By-$1').replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      ...(params.length || query.length ? { parameters: [...params, ...query] } : {}),
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: r.body } } } } : {}),
      ...(r.public ? { security: [] } : {}),
      responses: {
        [status]: r.events
          ? {
              description: `server-sent events: ${Object.entries(r.events)
                .map(([name, data]) => `\`${name}\` ${data}`)
                .join('; ')}`,
              content: { 'text/event-stream': { schema: { type: 'string' } } },
            }
          : r.text
            ? { description: 'ok', content: { [r.text]: { schema: { type: 'string' } } } }
            : status === '204' || !r.response
              ? { description: status === '204' ? 'done' : 'ok' }
              : { description: 'ok', content: { 'application/json': { schema: r.response } } },
        ...errors,
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Fasit catalog API',
      version: 'v1',
      description:
        'Tenants, environments, environment values, features, configuration, assignments, releases and audit. Errors are problem JSON {code, message, field?}. Authenticate with `Authorization: Bearer <OIDC token or Fasit API token>` (not needed in local development mode).',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } }, schemas: { Problem: problem, ...responseSchemas } },
    paths,
  };
}

function ref(): object {
  return { description: 'problem', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
}
