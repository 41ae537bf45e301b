// The attack suite, text: what PostgreSQL and our formats cannot hold (NUL, lone surrogates, control characters,
// oversized segments, deep nesting), in bodies, path segments, query values and gRPC messages: each a 400 (or
// INVALID_ARGUMENT) naming the field, and nothing written. Before the one check in the guard, most were a 500 from
// PostgreSQL's encoding check.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as grpc from '@grpc/grpc-js';
import { pushChart, type PushedChart } from '@fasit/testing';
import type { FasitClient } from '../../src/grpc/generated/fasit/management/v1/Fasit.js';
import { loadManagementProto } from '../../src/grpc/grpc.server.js';
import { startHarness, unique, type Harness, type Obj } from '../harness.js';

let h: Harness;
let chart: PushedChart;
let client: FasitClient;
let envId = '';
const tenant = unique('text');
const FEATURE = unique('text');
const NUL = '\u0000';
const LONE = '\ud800';

beforeAll(async () => {
  h = await startHarness();
  chart = await pushChart('demo-feature', { name: FEATURE, version: '1.0.0' });
  expect((await h.api('POST', '/api/v1/tenants', { name: tenant })).status).toBe(201);
  envId = (await h.api<Obj>('POST', `/api/v1/tenants/${tenant}/environments`, { name: 'dev', kind: 'tenant' })).body['id'] as string;
  expect((await h.api('POST', '/api/v1/features', { chart: chart.ref, version: '1.0.0' })).status).toBe(201);
  client = new (loadManagementProto().fasit.management.v1.Fasit)(h.catalog.grpcAddress!, grpc.credentials.createInsecure());
});

afterAll(async () => {
  client?.close();
  await h?.close();
});

const E = () => `/api/v1/tenants/${tenant}/environments/dev`;
const writes = async () =>
  (await h.sql.query<{ n: number }>(`SELECT (SELECT count(*) FROM catalog.audit) + (SELECT count(*) FROM catalog.outbox) AS n`)).rows[0]!.n;

// [what, method, path, body, the field the answer must name]
const cases: [string, string, () => string, unknown, unknown][] = [
  ['NUL in a tenant description', 'POST', () => '/api/v1/tenants', { name: unique('t'), description: `a${NUL}b` }, 'description'],
  ['NUL in a tenant name', 'POST', () => '/api/v1/tenants', { name: `t${NUL}` }, 'name'],
  ['NUL in an environment label value', 'PATCH', E, { labels: { team: `x${NUL}` } }, 'labels.team'],
  ['NUL in an environment label key', 'PATCH', E, { labels: { [`te${NUL}am`]: 'x' } }, 'labels.team…'],
  ['NUL in an environment value', 'PUT', () => `${E()}/values/k1`, { value: `v${NUL}` }, 'value'],
  ['NUL deep in an environment value', 'PUT', () => `${E()}/values/k1`, { value: { a: [1, { b: `x${NUL}` }] } }, 'value.a.1.b'],
  ['NUL in a config value', 'PUT', () => `/api/v1/features/${chart.name}/config/logLevel`, { value: `debug${NUL}` }, 'value'],
  ['NUL in a config description', 'PUT', () => `/api/v1/features/${chart.name}/config/logLevel`, { value: 'debug', description: NUL }, 'description'],
  ['NUL in an assignment version', 'POST', () => '/api/v1/assignments', { feature: FEATURE, version: `1.0.0${NUL}`, target: { tenant } }, 'version'],
  [
    'NUL in an assignment description',
    'POST',
    () => '/api/v1/assignments',
    { feature: FEATURE, version: '1.0.0', target: { tenant }, description: NUL },
    'description',
  ],
  ['NUL in a disable reason', 'POST', () => `${E()}/features/${chart.name}/disable`, { reason: `because${NUL}` }, 'reason'],
  ['NUL in an API token name', 'POST', () => '/api/v1/tokens', { name: `t${NUL}`, role: 'viewer' }, 'name'],
  ['a lone surrogate in a value', 'PUT', () => `${E()}/values/k2`, { value: `x${LONE}y` }, 'value'],
  ['a lone low surrogate in a description', 'PATCH', () => `/api/v1/tenants/${tenant}`, { description: '\udc00' }, 'description'],
  ['a control character in a description', 'PATCH', () => `/api/v1/tenants/${tenant}`, { description: 'bell\u0007' }, 'description'],
  ['a control character in a label', 'PATCH', E, { labels: { team: 'a\u001bb' } }, 'labels.team'],
  ['NUL in a path segment (tenant)', 'GET', () => `/api/v1/tenants/a%00b`, undefined, 'tenant'],
  ['NUL in a path segment (value key)', 'PUT', () => `${E()}/values/k%00`, { value: 1 }, 'key'],
  ['NUL in a path segment (feature)', 'GET', () => `${E()}/features/f%00`, undefined, 'feature'],
  ['NUL in a path segment (assignment id)', 'GET', () => `/api/v1/assignments/%00`, undefined, 'id'],
  [
    'a path segment that is not UTF-8 (a lone surrogate, encoded; refused by the router, which cannot name it)',
    'GET',
    () => `/api/v1/features/%ED%A0%80`,
    undefined,
    undefined,
  ],
  ['a line feed in a path segment', 'GET', () => `/api/v1/tenants/a%0Ab`, undefined, 'tenant'],
  ['an oversized path segment', 'GET', () => `/api/v1/tenants/${'a'.repeat(300)}`, undefined, 'tenant'],
  ['NUL in the audit search', 'GET', () => `/api/v1/audit?q=a%00b`, undefined, 'q'],
  ['NUL in a query filter', 'GET', () => `/api/v1/assignments?feature=%00`, undefined, 'feature'],
  ['a repeated query parameter', 'GET', () => `/api/v1/assignments?feature=a&feature=b`, undefined, 'feature'],
  ['an oversized query value', 'GET', () => `/api/v1/audit?q=${'a'.repeat(1500)}`, undefined, 'q'],
  [
    'a body nested too deep',
    'PUT',
    () => `${E()}/values/deep`,
    { value: JSON.parse(`${'['.repeat(100)}1${']'.repeat(100)}`) as unknown },
    expect.stringMatching(/^value(\.0)+$/),
  ],
];

describe('text over REST', () => {
  it.each(cases)('%s: 400 naming the field, nothing written', async (_, method, path, body, field) => {
    const before = await writes();
    const r = await h.api<Obj>(method, path(), body);
    expect([r.status, r.body['code'], r.body['field']]).toEqual([400, 'INVALID_INPUT', field]);
    expect(r.body['message']).toEqual(expect.any(String));
    expect(await writes()).toBe(before);
  });

  it('free text keeps tabs and line breaks, and any Unicode', async () => {
    const r = await h.api<Obj>('PUT', `${E()}/values/text`, { value: 'line 1\n\tline 2\r\nemoji 🚀 and ÆØÅ' });
    expect(r.status).toBe(200);
    expect(r.body['value']).toBe('line 1\n\tline 2\r\nemoji 🚀 and ÆØÅ');
  });
});

describe('text over gRPC', () => {
  const call = (method: string, req: object) =>
    new Promise<grpc.ServiceError | null>((resolve) => {
      const fn = (client as unknown as Record<string, (r: object, cb: (e: grpc.ServiceError | null) => void) => void>)[method]!;
      fn.call(client, req, (e) => resolve(e));
    });
  const rpcCases: [string, string, () => object, string][] = [
    ['NUL in a tenant description', 'CreateTenant', () => ({ name: unique('g'), description: `d${NUL}` }), 'description'],
    ['NUL in a label value', 'UpdateEnvironment', () => ({ environment_id: envId, labels: [{ key: 'team', value: `x${NUL}` }] }), 'labels.0.value'],
    ['NUL in a value key', 'SetEnvironmentValue', () => ({ environment_id: envId, key: `k${NUL}`, value: Buffer.from('1') }), 'key'],
    ['NUL inside the JSON value', 'SetEnvironmentValue', () => ({ environment_id: envId, key: 'k', value: Buffer.from('{"a":"x\\u0000"}') }), 'value.a'],
    ['a lone surrogate inside the JSON value', 'SetEnvironmentValue', () => ({ environment_id: envId, key: 'k', value: Buffer.from('"\\ud800"') }), 'value'],
    ['NUL in a lookup', 'GetTenant', () => ({ name: `x${NUL}` }), 'name'],
  ];
  it.each(rpcCases)('%s: INVALID_ARGUMENT naming the field, nothing written', async (_, method, req, field) => {
    const before = await writes();
    const e = await call(method, req());
    expect([e?.code, e?.details.split(':')[0]]).toEqual([grpc.status.INVALID_ARGUMENT, field]);
    expect(await writes()).toBe(before);
  });
});
