// naisd upgrading itself (docs/decisions/0021-self-upgrade-job.md): an instruction for its own release is checked
// (checkSelfUpgrade), then — with a cluster — acknowledged if its release already records it (the Job of an
// earlier naisd finished it), else naisd waits until no helm of its own runs or waits (its drain), creates the Job
// (buildSelfUpgradeJob) and the Secret with the Job's values, follows the Job and copies its pod's log into the
// deploy log. The Job's helm replaces this naisd's Deployment, so this naisd is usually stopped while it follows:
// then the instruction is not acked, and the next naisd, which gets it again, finds its diid on the release (or the
// Job still running, AlreadyExists) and reports the outcome. A Job is named by the diid: a redelivery never starts
// a second one.
import { Inject, Injectable } from '@nestjs/common';
import { dump } from 'js-yaml';
import { keyList, type ContextLogger, type JsonLogger } from '@fasit/config';
import { openForAgent } from '@fasit/domain';
import { NAISD_CONFIG, isDryRun, parseHostList, type NaisdConfig } from '../config/naisd.config.js';
import type { DeployInstruction } from '../deploy/deploy.service.js';
import { effectiveTimeoutMs, isInsecureRegistry, registryHostOf } from '../helm/helm-command.builder.js';
import { extractHelmError } from '../helm/helm-error.extractor.js';
import type { HelmOutcome } from '../helm/helm-outcome.js';
import { HelmRunner } from '../helm/helm.runner.js';
import { ReadinessState } from '../health/readiness.state.js';
import { ReleaseAppliedInstructions } from '../instructions/release-applied-instructions.js';
import { NAISD_LOGGER } from '../naisd.tokens.js';
import { LogStreamFactory } from '../reports/log-stream.factory.js';
import type { LogStreamer } from '../reports/log.streamer.js';
import { ReportPublisher } from '../reports/report.publisher.js';
import { SELF_UPGRADE_VALUES_KEY, buildSelfUpgradeJob, selfUpgradeJobName, selfUpgradeLabels, type SelfUpgradeJobInput } from './self-upgrade-job.builder.js';
import { SelfUpgradeJobClient, kubernetesError, type JobState } from './self-upgrade-job.client.js';
import { OWN_RELEASE, checkSelfUpgrade } from './self-upgrade.check.js';

/** How often the Job's state is read while naisd follows it. */
export const SELF_UPGRADE_POLL_MS = 1000;
/** naisd follows the Job this long past the Job's own deadline (activeDeadlineSeconds) before it gives up. */
const FOLLOW_MARGIN_MS = 60_000;
/** One log line copied from the Job's pod, at most this long. */
const LINE_MAX = 2000;

/** The Job's container, as the builder names it. */
const CONTAINER = 'helm';

/** Thrown when naisd stops while it follows its upgrade Job: the instruction is not acked, the next naisd reports it. */
export class SelfUpgradeInterrupted extends Error {
  readonly retryable = true;
}

@Injectable()
export class SelfUpgradeService {
  private readonly log: ContextLogger;

  constructor(
    private readonly helm: HelmRunner,
    private readonly jobs: SelfUpgradeJobClient,
    private readonly applied: ReleaseAppliedInstructions,
    private readonly reports: ReportPublisher,
    private readonly logs: LogStreamFactory,
    private readonly readiness: ReadinessState,
    @Inject(NAISD_LOGGER) logger: JsonLogger,
    @Inject(NAISD_CONFIG) private readonly config: NaisdConfig,
  ) {
    this.log = logger.child('self-upgrade');
  }

  async upgrade(instruction: DeployInstruction): Promise<HelmOutcome> {
    const { diid, release, featureVersion } = instruction;
    if (this.readiness.isStopping) throw new SelfUpgradeInterrupted(`naisd is stopping: self-upgrade ${diid} is left to the next naisd`);
    const check = checkSelfUpgrade({ ownRelease: OWN_RELEASE, runningVersion: this.config.agentVersion, release, version: featureVersion });
    const refusal = !check.ok
      ? check.error.message
      : isDryRun(this.config)
        ? `self-upgrade from ${check.from} to ${check.to}: naisd runs in dry-run mode (no FASIT_KUBECONFIG) and has no cluster to run its upgrade Job in`
        : this.config.image === undefined
          ? `self-upgrade from ${check.from} to ${check.to}: FASIT_NAISD_IMAGE is not set, so naisd does not know the image its upgrade Job runs`
          : undefined;
    const stream = this.logs.open(diid);
    let outcome: HelmOutcome;
    try {
      if (refusal !== undefined || !check.ok) {
        const error = refusal ?? 'self-upgrade refused';
        this.log.warn('self-upgrade refused', { diid, feature: release, version: featureVersion, error });
        stream.write(`naisd: ${error}`);
        outcome = { ok: false, error };
      } else {
        outcome = await this.run(instruction, `self-upgrade from ${check.from} to ${check.to}`, stream);
      }
    } finally {
      // Every log line is handed to the bus before the terminal status (also when naisd stops while it follows).
      await stream.close();
    }
    await this.report(instruction, outcome.ok ? 'deployed' : 'failed', outcome.ok ? null : outcome.error);
    return outcome;
  }

  private async run(instruction: DeployInstruction, what: string, stream: LogStreamer): Promise<HelmOutcome> {
    const { diid, release } = instruction;
    const namespace = this.config.namespace;
    const name = selfUpgradeJobName(diid);

    // Finished already: the Job (started by an earlier naisd) upgraded the release, which records the diid.
    const recorded = await this.applied.findOnRelease(instruction).catch((e: unknown) => {
      this.log.warn('could not read whether the self-upgrade was applied; going on', { diid, error: (e as Error).message });
      return undefined;
    });
    if (recorded !== undefined) {
      stream.write(
        `naisd: ${what}: release "${release}" revision ${recorded.revision} records instruction ${diid}, ${recorded.status}; this naisd runs ${this.config.agentVersion}`,
      );
      return recorded.status === 'deployed' ? { ok: true } : { ok: false, error: recorded.error ?? `revision ${recorded.revision} failed` };
    }

    // The drain: no helm of this naisd runs or waits when the Job's helm replaces it.
    const pending = this.helm.pending;
    stream.write(`naisd: ${what}: ${pending === 0 ? 'no helm operation of naisd is running' : `waiting for ${pending} helm operation(s) of naisd to finish`}`);
    await this.helm.idle();
    await this.report(instruction, 'installing', null);

    let values: string;
    try {
      values = dump(openForAgent(keyList(this.config.agentKey), diid, instruction.sealedValues), { noRefs: true, lineWidth: -1 });
    } catch (err) {
      const error = `naisd could not prepare the values: ${err instanceof Error ? err.message : String(err)}`;
      stream.write(`naisd: ${error}`);
      return { ok: false, error };
    }
    const input: SelfUpgradeJobInput = {
      diid,
      namespace,
      release,
      chartRef: `${instruction.chart}@${instruction.chartDigest}`,
      version: instruction.featureVersion,
      image: this.config.image ?? '',
      serviceAccountName: this.config.serviceAccount,
      valuesSecretName: name,
      timeoutSeconds: Math.ceil(effectiveTimeoutMs(instruction.timeoutMs) / 1000),
      plainHttp: isInsecureRegistry(registryHostOf(instruction.chart) ?? '', parseHostList(this.config.insecureRegistries)),
    };
    const job = buildSelfUpgradeJob(input);
    try {
      // The Job first, then its values Secret owned by it (Kubernetes removes the Secret with the Job): the Job's
      // pod waits for the Secret to mount.
      const made = await this.jobs.createJob(namespace, job);
      stream.write(
        made.created
          ? `naisd: ${what}: created Job ${namespace}/${name} (image ${input.image}, service account ${input.serviceAccountName}); it runs helm upgrade ${release} ${input.chartRef} --version ${input.version}`
          : `naisd: ${what}: Job ${namespace}/${name} already exists (an earlier delivery of this instruction started it); following it`,
      );
      await this.jobs.createSecret(namespace, {
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'Opaque',
        metadata: {
          name,
          namespace,
          labels: selfUpgradeLabels(input),
          ...(made.uid ? { ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name, uid: made.uid }] } : {}),
        },
        stringData: { [SELF_UPGRADE_VALUES_KEY]: values },
      });
    } catch (err) {
      const error = `naisd could not create its self-upgrade Job ${namespace}/${name}: ${oneLine(kubernetesError(err))}`;
      this.log.error('self-upgrade Job not created', { diid, error });
      stream.write(`naisd: ${error}`);
      return { ok: false, error };
    }
    this.log.info('self-upgrade Job started', { diid, job: name, version: input.version });
    stream.write(`naisd: ${what}: following Job ${namespace}/${name}; when its helm replaces this naisd, the next naisd reports the outcome`);

    const state = await this.follow(namespace, name, (job['spec'] as { activeDeadlineSeconds: number }).activeDeadlineSeconds * 1000 + FOLLOW_MARGIN_MS);
    const podLines = await this.copyPodLog(namespace, input, stream);
    switch (state.phase) {
      case 'complete':
        stream.write(`naisd: ${what}: Job ${namespace}/${name} completed`);
        return { ok: true };
      case 'failed': {
        const helmError = podLines.some((l) => l.startsWith('Error:')) ? `: ${extractHelmError(podLines, 1)}` : '';
        const error = `self-upgrade Job ${namespace}/${name} failed (${oneLine(state.reason)})${helmError}`;
        stream.write(`naisd: ${error}`);
        return { ok: false, error };
      }
      case 'running': {
        const error = `self-upgrade Job ${namespace}/${name} did not finish within its deadline; read it with kubectl -n ${namespace} describe job ${name}`;
        stream.write(`naisd: ${error}`);
        return { ok: false, error };
      }
    }
  }

  /** Reads the Job until it finished, naisd stops (SelfUpgradeInterrupted), or `withinMs` passed ('running'). */
  private async follow(namespace: string, name: string, withinMs: number): Promise<JobState> {
    const deadline = Date.now() + withinMs;
    let lastError: string | undefined;
    for (;;) {
      if (this.readiness.isStopping)
        throw new SelfUpgradeInterrupted(`naisd is stopping while its upgrade Job ${name} runs: the next naisd reports the outcome`);
      try {
        const state = await this.jobs.jobState(namespace, name);
        if (state.phase !== 'running') return state;
        lastError = undefined;
      } catch (err) {
        // The API may be briefly away while the cluster moves naisd; the Job goes on regardless. Said once per error.
        const error = kubernetesError(err);
        if (error !== lastError) this.log.warn('cannot read the self-upgrade Job; trying again', { job: name, error });
        lastError = error;
      }
      if (Date.now() > deadline) return { phase: 'running' };
      await this.readiness.sleep(SELF_UPGRADE_POLL_MS);
    }
  }

  /** The Job's pods' output, into the deploy log, where the API gives it; returns the lines. */
  private async copyPodLog(namespace: string, input: SelfUpgradeJobInput, stream: LogStreamer): Promise<string[]> {
    const selector = Object.entries(selfUpgradeLabels(input))
      .filter(([k]) => k === 'fasit.dev/diid' || k === 'app.kubernetes.io/name')
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    try {
      const logs = await this.jobs.podLogs(namespace, selector, CONTAINER);
      if (logs.length === 0) stream.write(`naisd: the self-upgrade Job has no pod left to read a log from`);
      const lines: string[] = [];
      for (const { pod, log } of logs) {
        stream.write(`naisd: the log of pod ${pod} of the self-upgrade Job:`);
        for (const line of log
          .split('\n')
          .map((l) => oneLine(l).slice(0, LINE_MAX))
          .filter((l) => l !== '')) {
          lines.push(line);
          stream.write(line);
        }
      }
      return lines;
    } catch (err) {
      stream.write(`naisd: the log of the self-upgrade Job's pod cannot be read (${oneLine(kubernetesError(err)).slice(0, 300)})`);
      return [];
    }
  }

  private report(i: DeployInstruction, status: 'installing' | 'deployed' | 'failed', error: string | null): Promise<void> {
    return this.reports.publish({ type: 'helm', diid: i.diid, name: i.release, featureVersion: i.featureVersion, status, hash: i.hash, error }, i.diid);
  }
}

/** Cluster text as one line of printable characters. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
}
