import { describe, expect, it } from '@jest/globals';
import {
  buildSelfUpgradeJob,
  SELF_UPGRADE_BACKOFF_LIMIT,
  SELF_UPGRADE_TTL_SECONDS,
  selfUpgradeCommand,
  selfUpgradeJobName,
  type SelfUpgradeJobInput,
} from './self-upgrade-job.builder.js';

const DIID = 'a0a0a0a0-0000-4000-8000-000000000001';
const input: SelfUpgradeJobInput = {
  diid: DIID,
  namespace: 'nais-system',
  release: 'naisd',
  chartRef: `oci://europe-docker.pkg.dev/fasit/charts/naisd@sha256:${'ab'.repeat(32)}`,
  version: '1.5.0',
  image: 'ghcr.io/nais/fasit/naisd:1.4.0',
  serviceAccountName: 'naisd',
  valuesSecretName: `naisd-self-upgrade-${DIID}`,
  timeoutSeconds: 300,
  plainHttp: false,
};

interface Container {
  name: string;
  image: string;
  command: string[];
  env: { name: string; value: string }[];
  securityContext: Record<string, unknown>;
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[];
}
interface Job {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: {
    backoffLimit: number;
    ttlSecondsAfterFinished: number;
    activeDeadlineSeconds: number;
    template: {
      metadata: { labels: Record<string, string> };
      spec: {
        restartPolicy: string;
        serviceAccountName: string;
        containers: Container[];
        volumes: Record<string, unknown>[];
        securityContext: Record<string, unknown>;
      };
    };
  };
}

const job = (over: Partial<SelfUpgradeJobInput> = {}): Job => buildSelfUpgradeJob({ ...input, ...over }) as unknown as Job;
const container = (j: Job): Container => {
  const [c, ...rest] = j.spec.template.spec.containers;
  if (!c || rest.length > 0) throw new Error('expected exactly one container');
  return c;
};
const flag = (args: string[], name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

describe("buildSelfUpgradeJob: the Job that upgrades naisd's own release", () => {
  it("is a batch/v1 Job in naisd's namespace, named after the diid so a redelivered instruction cannot start a second one", () => {
    const j = job();
    expect(j.apiVersion).toBe('batch/v1');
    expect(j.kind).toBe('Job');
    expect(j.metadata.name).toBe(`naisd-self-upgrade-${DIID}`);
    expect(j.metadata.namespace).toBe('nais-system');
    expect(selfUpgradeJobName(DIID).length).toBeLessThanOrEqual(63);
  });

  it("labels the Job and its pod with the diid, naisd's release and who manages it", () => {
    const expected = {
      'app.kubernetes.io/name': 'naisd-self-upgrade',
      'app.kubernetes.io/instance': 'naisd',
      'app.kubernetes.io/managed-by': 'naisd',
      'app.kubernetes.io/part-of': 'fasit',
      'fasit.dev/diid': DIID,
    };
    expect(job().metadata.labels).toEqual(expected);
    expect(job().spec.template.metadata.labels).toEqual(expected);
  });

  it("retries once, is removed 3 hours after it finished, and is stopped when helm's timeout is long past", () => {
    const { spec } = job();
    expect(spec.backoffLimit).toBe(1);
    expect(SELF_UPGRADE_BACKOFF_LIMIT).toBe(1);
    expect(spec.ttlSecondsAfterFinished).toBe(10_800);
    expect(SELF_UPGRADE_TTL_SECONDS).toBe(10_800);
    expect(spec.activeDeadlineSeconds).toBe((300 + 120) * 2);
    expect(spec.template.spec.restartPolicy).toBe('Never');
  });

  it("runs under naisd's service account, with the running naisd's image (which carries helm)", () => {
    const j = job();
    expect(j.spec.template.spec.serviceAccountName).toBe('naisd');
    expect(container(j).image).toBe('ghcr.io/nais/fasit/naisd:1.4.0');
    expect(container(j).name).toBe('helm');
  });

  it("runs helm upgrade of naisd's release from the pinned chart, with the version, namespace, values, timeout and diid label", () => {
    const { command } = container(job());
    expect(command.slice(0, 4)).toEqual(['helm', 'upgrade', 'naisd', input.chartRef]);
    expect(command).not.toContain('--install');
    expect(flag(command, '--version')).toBe('1.5.0');
    expect(flag(command, '--namespace')).toBe('nais-system');
    expect(flag(command, '-f')).toBe('/etc/naisd/self-upgrade/values.yaml');
    expect(flag(command, '--timeout')).toBe('300s');
    expect(flag(command, '--history-max')).toBe('10');
    expect(flag(command, '--labels')).toBe(`fasit.dev/diid=${DIID}`);
    expect(command).toEqual(expect.arrayContaining(['--rollback-on-failure', '--wait=watcher', '--cleanup-on-fail']));
    expect(command).not.toContain('--plain-http');
    expect(selfUpgradeCommand({ ...input, plainHttp: true })).toContain('--plain-http');
  });

  it('passes every value as its own argument (no shell), so nothing in the instruction is interpreted', () => {
    const { command } = container(job({ version: '1.5.0 && id' }));
    expect(command[0]).toBe('helm');
    expect(flag(command, '--version')).toBe('1.5.0 && id');
    expect(command).not.toContain('sh');
  });

  it('mounts the values Secret read-only and gives helm a writable /tmp on a read-only root file system, as non-root', () => {
    const j = job();
    const c = container(j);
    expect(c.volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'values', mountPath: '/etc/naisd/self-upgrade', readOnly: true },
    ]);
    expect(j.spec.template.spec.volumes).toEqual([
      { name: 'tmp', emptyDir: {} },
      { name: 'values', secret: { secretName: `naisd-self-upgrade-${DIID}`, defaultMode: 0o440 } },
    ]);
    expect(c.env.map((e) => e.value).every((v) => v.startsWith('/tmp/helm/'))).toBe(true);
    expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    expect(j.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, fsGroup: 65532 });
  });
});
