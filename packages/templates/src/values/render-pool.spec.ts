import { afterAll, describe, expect, it } from '@jest/globals';
import { RenderPool } from './render-pool.js';
import { renderValues, type RenderInput } from './render-values.js';

function input(template: string, name = 'dev'): RenderInput {
  const env = { id: name, name, kind: 'tenant', tenant: 'acme', labels: {}, values: { p: { value: `proj-${name}`, secret: false } } };
  return {
    feature: { name: 'f', spec: { values: { v: { computed: { template } } } } },
    environment: env,
    tenantEnvironments: [env],
    config: { global: {}, environment: {} },
  };
}

// One synchronous function call that runs for many seconds (linear, but a million characters through a
// thousand-state program: ~36 s on re2js): the engine's own time limits act between steps and cannot interrupt it.
const CATASTROPHIC = '{{ regexMatch "[^x]{1000}[yz]" (repeat 1000000 "a") }}';

const pool = new RenderPool({ workers: 2, hardTimeoutMs: 3000 });
afterAll(() => pool.close());

describe('RenderPool', () => {
  it('renders exactly as renderValues does', async () => {
    const inputs = ['{{ .Env.p | quote }}', '{{ .Env.name }}', '[1, 2]'].map((t, i) => input(t, `env-${i}`));
    const results = await Promise.all(inputs.map((i) => pool.render(i)));
    expect(results).toEqual(inputs.map((i) => renderValues(i)));
  }, 30_000);

  it('renders with shared tenant snapshots exactly as without, also when a worker has dropped older snapshots', async () => {
    const tenant = Array.from({ length: 5 }, (_, i) => input('x', `env-${i}`).environment);
    const template = '{{ range .Envs }}{{ .name }}:{{ .p }},{{ end }}|{{ .Env.name }}';
    const jobs: [RenderInput, string][] = [];
    // more snapshots than a worker keeps, each rendered several times, interleaved
    for (let round = 0; round < 3; round++) {
      for (let snapshot = 0; snapshot < 12; snapshot++) {
        const envs = tenant.map((e) => ({ ...e, values: { p: { value: `s${snapshot}-${e.name}`, secret: false } } }));
        const environment = envs[(round + snapshot) % envs.length]!;
        jobs.push([{ ...input(template), environment, tenantEnvironments: envs }, `snapshot-${snapshot}`]);
      }
    }
    const results = await Promise.all(jobs.map(([i, key]) => pool.render(i, key)));
    expect(results).toEqual(jobs.map(([i]) => renderValues(i)));
    expect(results[13]).toMatchObject({ ok: true, values: { v: 'env-0:s1-env-0,env-1:s1-env-1,env-2:s1-env-2,env-3:s1-env-3,env-4:s1-env-4,|env-2' } });
  }, 30_000);

  it('stops a render that never returns, answers with a render-error, and keeps serving with a fresh worker', async () => {
    const [stuck, fine] = await Promise.all([pool.render(input(CATASTROPHIC)), pool.render(input('"ok"'))]);
    expect(stuck).toEqual({ ok: false, action: 'render-error', message: 'rendering took longer than 3000 ms and was stopped' });
    expect(fine).toMatchObject({ ok: true, values: { v: 'ok' } });
    // both workers serve again
    const after = await Promise.all([pool.render(input('"a"')), pool.render(input('"b"')), pool.render(input('"c"'))]);
    expect(after.map((r) => (r.ok ? r.values['v'] : r.message))).toEqual(['a', 'b', 'c']);
  }, 60_000);

  it('answers render-errors once closed', async () => {
    const closing = new RenderPool({ workers: 1 });
    await closing.close();
    expect(await closing.render(input('"x"'))).toEqual({ ok: false, action: 'render-error', message: 'the render pool is closed' });
  });
});
