// The Kubernetes side of naisd's self-upgrade (decision 0021), with @kubernetes/client-node and naisd's kubeconfig:
// create the Job and the Secret holding its values, read the Job's state, and read its pod's log. Exactly the
// rights the naisd chart's `<release>-self-upgrade` Role grants (jobs create/get, secrets create, pods list,
// pods/log get). Everything the API answers is input from the cluster: errors and logs are bounded by the caller.
import { Inject, Injectable } from '@nestjs/common';
import { ApiException, BatchV1Api, CoreV1Api, KubeConfig, type V1Job, type V1Secret } from '@kubernetes/client-node';
import { NAISD_CONFIG, type NaisdConfig } from '../config/naisd.config.js';

/** Where a Job stands: running, or finished one way or the other (with the Job controller's reason). */
export type JobState = { phase: 'running' } | { phase: 'complete' } | { phase: 'failed'; reason: string };

/** The Job's pods' log is read from the end, at most this much (helm's output of one upgrade fits many times over). */
const LOG_LIMIT_BYTES = 256 * 1024;

/** A Kubernetes API error as one line: the status code and the Status message the server gave (or the client's error). */
export function kubernetesError(err: unknown): string {
  if (err instanceof ApiException) {
    const status = statusOf(err.body);
    return `${err.code}${status.reason ? ` ${status.reason}` : ''}: ${status.message ?? 'the Kubernetes API refused the request'}`;
  }
  return err instanceof Error ? err.message : String(err);
}

function statusOf(body: unknown): { reason?: string; message?: string } {
  let parsed: unknown = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body) as unknown;
    } catch {
      return { message: body };
    }
  }
  if (typeof parsed !== 'object' || parsed === null) return {};
  const o = parsed as Record<string, unknown>;
  return { ...(typeof o['reason'] === 'string' ? { reason: o['reason'] } : {}), ...(typeof o['message'] === 'string' ? { message: o['message'] } : {}) };
}

const isAlreadyExists = (err: unknown): boolean => err instanceof ApiException && err.code === 409;

/** A finished Job's state from its conditions (pure; the Job controller sets Complete or Failed). */
export function jobState(job: Pick<V1Job, 'status'>): JobState {
  const conditions = job.status?.conditions ?? [];
  const failed = conditions.find((c) => c.type === 'Failed' && c.status === 'True');
  if (failed)
    return { phase: 'failed', reason: [failed.reason, failed.message].filter((x) => typeof x === 'string' && x !== '').join(': ') || 'the Job failed' };
  if (conditions.some((c) => c.type === 'Complete' && c.status === 'True')) return { phase: 'complete' };
  return { phase: 'running' };
}

@Injectable()
export class SelfUpgradeJobClient {
  private apis: { batch: BatchV1Api; core: CoreV1Api } | undefined;

  constructor(@Inject(NAISD_CONFIG) private readonly config: Pick<NaisdConfig, 'kubeconfig'>) {}

  /** Creates the Job; `false` when a Job of that name exists already (an earlier delivery started it). */
  async createJob(namespace: string, job: Record<string, unknown>): Promise<{ created: boolean; uid: string | undefined }> {
    try {
      const made = await this.api().batch.createNamespacedJob({ namespace, body: job });
      return { created: true, uid: made.metadata?.uid };
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      return { created: false, uid: undefined };
    }
  }

  /** Creates the Secret; one that exists already (an earlier delivery made it) is left as it is. */
  async createSecret(namespace: string, secret: V1Secret): Promise<void> {
    try {
      await this.api().core.createNamespacedSecret({ namespace, body: secret });
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }

  async jobState(namespace: string, name: string): Promise<JobState> {
    return jobState(await this.api().batch.readNamespacedJob({ namespace, name }));
  }

  /** The log of each pod the Job ran (selected by the Job's own labels), oldest pod first. */
  async podLogs(namespace: string, labelSelector: string, container: string): Promise<{ pod: string; log: string }[]> {
    const { core } = this.api();
    const pods = await core.listNamespacedPod({ namespace, labelSelector });
    const names = pods.items
      .slice()
      .sort((a, b) => String(a.metadata?.creationTimestamp ?? '').localeCompare(String(b.metadata?.creationTimestamp ?? '')))
      .map((p) => p.metadata?.name)
      .filter((n): n is string => typeof n === 'string');
    const logs: { pod: string; log: string }[] = [];
    for (const pod of names) {
      const log: unknown = await core.readNamespacedPodLog({ namespace, name: pod, container, limitBytes: LOG_LIMIT_BYTES });
      logs.push({ pod, log: typeof log === 'string' ? log : '' });
    }
    return logs;
  }

  private api(): { batch: BatchV1Api; core: CoreV1Api } {
    if (this.apis) return this.apis;
    if (this.config.kubeconfig === undefined) throw new Error('no FASIT_KUBECONFIG: naisd runs in dry-run mode');
    const kc = new KubeConfig();
    kc.loadFromFile(this.config.kubeconfig);
    this.apis = { batch: kc.makeApiClient(BatchV1Api), core: kc.makeApiClient(CoreV1Api) };
    return this.apis;
  }
}
