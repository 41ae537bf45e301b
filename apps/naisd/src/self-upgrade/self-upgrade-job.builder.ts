// The Kubernetes Job that upgrades naisd's own release (docs/decisions/0021-self-upgrade-job.md). A process cannot
// `helm upgrade` the Deployment it runs in and survive the rollout, so naisd hands the upgrade to a Job in its
// namespace, under its own service account, running the helm of naisd's image. Pure: the spec only.

/** Where the Job mounts the Secret holding the instruction's values. */
export const SELF_UPGRADE_VALUES_DIR = '/etc/naisd/self-upgrade';
export const SELF_UPGRADE_VALUES_KEY = 'values.yaml';
/** The Job is retried once (a pod lost to a node), then left failed for an operator to read. */
export const SELF_UPGRADE_BACKOFF_LIMIT = 1;
/** A finished Job (and its pod's log) stays 3 hours, as the original's, then Kubernetes removes it. */
export const SELF_UPGRADE_TTL_SECONDS = 3 * 60 * 60;
/** Time past helm's own --timeout before Kubernetes stops the Job. */
const DEADLINE_MARGIN_SECONDS = 120;

export interface SelfUpgradeJobInput {
  /** The instruction's diid: names the Job (one Job per instruction, so a redelivery cannot start a second). */
  diid: string;
  /** naisd's namespace, where its release lives. */
  namespace: string;
  /** naisd's own release. */
  release: string;
  /** The chart reference (oci://…), pinned like every deploy: `<ref>@<digest>` when the instruction has one. */
  chartRef: string;
  version: string;
  /** The running naisd's image: it carries the helm the Job runs. */
  image: string;
  serviceAccountName: string;
  /** The Secret (created by naisd) holding the values under SELF_UPGRADE_VALUES_KEY. */
  valuesSecretName: string;
  /** helm's --timeout. */
  timeoutSeconds: number;
  /** The chart's registry is pulled over plain HTTP (FASIT_INSECURE_REGISTRIES). */
  plainHttp: boolean;
}

export const selfUpgradeJobName = (diid: string): string => `naisd-self-upgrade-${diid}`;

export const selfUpgradeLabels = (input: Pick<SelfUpgradeJobInput, 'diid' | 'release'>): Record<string, string> => ({
  'app.kubernetes.io/name': 'naisd-self-upgrade',
  'app.kubernetes.io/instance': input.release,
  'app.kubernetes.io/managed-by': 'naisd',
  'app.kubernetes.io/part-of': 'fasit',
  'fasit.dev/diid': input.diid,
});

/** The helm command the Job runs: the same flags as naisd's own cluster deploys. */
export function selfUpgradeCommand(input: SelfUpgradeJobInput): string[] {
  return [
    'helm',
    'upgrade',
    input.release,
    input.chartRef,
    '--version',
    input.version,
    '--namespace',
    input.namespace,
    '-f',
    `${SELF_UPGRADE_VALUES_DIR}/${SELF_UPGRADE_VALUES_KEY}`,
    '--timeout',
    `${input.timeoutSeconds}s`,
    '--history-max',
    '10',
    '--labels',
    `fasit.dev/diid=${input.diid}`,
    '--rollback-on-failure',
    '--wait=watcher',
    '--cleanup-on-fail',
    ...(input.plainHttp ? ['--plain-http'] : []),
  ];
}

/** A batch/v1 Job, as JSON for the Kubernetes API. */
export function buildSelfUpgradeJob(input: SelfUpgradeJobInput): Record<string, unknown> {
  const labels = selfUpgradeLabels(input);
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: selfUpgradeJobName(input.diid), namespace: input.namespace, labels },
    spec: {
      backoffLimit: SELF_UPGRADE_BACKOFF_LIMIT,
      ttlSecondsAfterFinished: SELF_UPGRADE_TTL_SECONDS,
      activeDeadlineSeconds: (input.timeoutSeconds + DEADLINE_MARGIN_SECONDS) * (SELF_UPGRADE_BACKOFF_LIMIT + 1),
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          serviceAccountName: input.serviceAccountName,
          automountServiceAccountToken: true,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 65532,
            runAsGroup: 65532,
            fsGroup: 65532,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'helm',
              image: input.image,
              command: selfUpgradeCommand(input),
              env: [
                { name: 'HELM_CACHE_HOME', value: '/tmp/helm/cache' },
                { name: 'HELM_CONFIG_HOME', value: '/tmp/helm/config' },
                { name: 'HELM_DATA_HOME', value: '/tmp/helm/data' },
              ],
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: [
                { name: 'tmp', mountPath: '/tmp' },
                { name: 'values', mountPath: SELF_UPGRADE_VALUES_DIR, readOnly: true },
              ],
            },
          ],
          volumes: [
            { name: 'tmp', emptyDir: {} },
            { name: 'values', secret: { secretName: input.valuesSecretName, defaultMode: 0o440 } },
          ],
        },
      },
    },
  };
}
