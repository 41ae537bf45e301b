// Rendering benchmark: one feature with 100 computed values rendered for 10,000 environments (1,000 tenants of
// one management and nine tenant environments each), i.e. 1,000,000 template renders, as a reconcile cycle over
// a large installation would. The templates are the shapes real Feature.yaml files use (see
// packages/testing/corpora/realworld): quoting, conditionals on .Kind, subdomain, loops and Fasit list functions over .Envs,
// toJSON, dict building. Not part of `pnpm test`: run `pnpm bench` (`pnpm bench <environments> <values>` for other sizes).
//
// Prints renders/s and total seconds for the reconciler's path (no secret taint) and for the display path (with
// the taint probe, which renders each value again whenever a secret input exists).
import { renderValues, type RenderEnvironment, type RenderFeatureSpec, type RenderInput } from '../src/index.js';

const [envsArg, valuesArg] = process.argv.slice(2).filter((a) => a !== '--');
const ENVIRONMENTS = Number(envsArg ?? 10_000);
const VALUES = Number(valuesArg ?? 100);
const ENVS_PER_TENANT = 10;

const shapes: ((i: number) => string)[] = [
  (i) => `{{ .Env.project_id_${i % 7} | quote }}`,
  () => '"{{ .Env.name }}"',
  () => '{{ ne .Kind "onprem" }}',
  () => '{{ if eq .Kind "management" }}true{{ else }}false{{ end }}',
  (i) => `"{{ subdomain . "svc-${i}" }}"`,
  () => '"https://{{ .Env.name }}.{{ .Tenant.Name }}.cloud.nais.io"',
  () => '{{ eachOf .Envs "name" | toJSON }}',
  () => '"{{ mapOf "name" "project_id_0" .Envs | mapJoin "=" | join "," }}"',
  () => '{{ (filter "kind" "tenant" .Envs | environmentsAsMap "project_id_1,aiven_project") | toJSON }}',
  () => '[{{ range $i, $e := filter "kind" "tenant" .Envs }}{{ if $i }},{{ end }}"apiserver.{{ $e.name }}.nais.io"{{ end }}]',
  () =>
    '{{ range $c := .Envs }}\n- name: {{ $c.name }}\n  upstream: nais-prometheus.{{ $c.name }}.{{ $.Tenant.Name }}.cloud.nais.io\n  psk: "{{ $c.psk }}"\n{{ end }}',
  () => '{{ .Management.project_id_0 | quote }}',
  () => '"{{ .Env.db_password }}"',
  () => '{{ $d := dict "cluster" .Env.name "tenant" .Tenant.Name "zones" (list "a" "b" "c") }}{{ toJSON $d }}',
  () => '{{ printf "%s-%s" .Tenant.Name .Env.name | upper | quote }}',
  () => '{{ .Env.replicas | int | add 1 }}',
  () => '{{ if and (eq .Kind "tenant") (hasPrefix "prod" .Env.name) }}3{{ else }}1{{ end }}',
  () => '{{ join "," (list .Env.name .Tenant.Name) | b64enc | quote }}',
  () => '{{ .Configs.image.tag | default "latest" | quote }}',
  () => '{{ toYAML (dict "requests" (dict "cpu" "100m" "memory" "128Mi")) }}',
];

function spec(): RenderFeatureSpec {
  const values: RenderFeatureSpec['values'] = { 'image.tag': { config: { type: 'string' } } };
  for (let i = 0; i < VALUES; i++) values[`computed.v${String(i).padStart(3, '0')}`] = { computed: { template: shapes[i % shapes.length]!(i) } };
  return { values };
}

function environment(tenant: number, n: number): RenderEnvironment {
  const name = n === 0 ? 'management' : `${n % 2 === 0 ? 'prod' : 'dev'}-${n}`;
  const values: RenderEnvironment['values'] = {
    aiven_project: { value: `nais-t${tenant}-${name}`, secret: false },
    replicas: { value: n, secret: false },
    db_password: { value: `pw-${tenant}-${n}`, secret: true },
    psk: { value: `psk-${tenant}-${n}`, secret: true },
  };
  for (let k = 0; k < 7; k++) values[`project_id_${k}`] = { value: `p${k}-t${tenant}-${name}`, secret: false };
  return { id: `t${tenant}-${name}`, name, kind: n === 0 ? 'management' : 'tenant', tenant: `tenant-${tenant}`, labels: { name }, values };
}

function inputs(): RenderInput[] {
  const featureSpec = spec();
  const out: RenderInput[] = [];
  const tenants = Math.ceil(ENVIRONMENTS / ENVS_PER_TENANT);
  for (let t = 0; t < tenants; t++) {
    const envs = Array.from({ length: ENVS_PER_TENANT }, (_v, n) => environment(t, n));
    for (const env of envs) {
      if (out.length === ENVIRONMENTS) break;
      out.push({
        feature: { name: 'bench', spec: featureSpec },
        environment: env,
        tenantEnvironments: envs,
        config: { global: { 'image.tag': { value: 'v1', secret: false } }, environment: {} },
      });
    }
  }
  return out;
}

function run(label: string, all: RenderInput[], secretTaint: boolean): void {
  let renders = 0;
  const started = process.hrtime.bigint();
  for (const input of all) {
    const result = renderValues({ ...input, options: { secretTaint } });
    if (!result.ok) throw new Error(`${input.environment.id}: ${result.action}: ${result.message}`);
    renders += VALUES;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const perSecond = Math.round(renders / seconds);
  console.log(
    `${label.padEnd(28)} ${all.length} environments x ${VALUES} computed values = ${renders} renders in ${seconds.toFixed(2)} s: ${perSecond.toLocaleString('en')} renders/s`,
  );
}

const all = inputs();
// what the taint probe decides for one environment (the display path's extra work depends on it)
const sample = renderValues(all[1]!);
if (!sample.ok) throw new Error(sample.message);
const reasons = new Map<string, number>();
for (const p of Object.values(sample.provenance)) reasons.set(p.secretReason ?? 'not secret', (reasons.get(p.secretReason ?? 'not secret') ?? 0) + 1);
console.log(`taint in ${all[1]!.environment.id}: ${[...reasons].map(([r, n]) => `${n} ${r}`).join(', ')}`);
// warm-up: parse every template once, let the JIT settle
for (const input of all.slice(0, 50)) renderValues(input);
run('reconciler (no taint)', all, false);
run('display (with taint probe)', all, true);
