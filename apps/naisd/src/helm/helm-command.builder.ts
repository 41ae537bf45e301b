// Builds helm 4 command lines from an instruction and the agent's mode. Pure: no I/O, unit-tested.
import { Inject, Injectable } from '@nestjs/common';
import { NAISD_CONFIG, isDryRun, parseHostList, type NaisdConfig } from '../config/naisd.config.js';

/** Instruction timeouts at or below this are replaced by DEFAULT_HELM_TIMEOUT_MS (as the original agent). */
export const MIN_INSTRUCTION_TIMEOUT_MS = 10_000;
export const DEFAULT_HELM_TIMEOUT_MS = 5 * 60_000;
export const HISTORY_MAX = 10;
export const LIST_MAX = 5000;

/** The label every revision naisd writes carries: the diid of the instruction that wrote it (docs/decisions/0015). */
export const DIID_LABEL = 'fasit.dev/diid';

export interface UpgradeCommand {
  /** The instruction's diid, recorded on the revision (`--labels fasit.dev/diid=<diid>`): it survives naisd. */
  diid: string;
  release: string;
  chart: string;
  /** The signed manifest digest: helm pulls `<chart>@<digest>`, so a chart re-pushed under the same tag is not what runs. */
  chartDigest: string;
  featureVersion: string;
  timeoutMs: number;
  valuesFile: string;
}

export interface HelmCommand {
  args: string[];
  /** helm's --timeout, in milliseconds. */
  helmTimeoutMs: number;
  /** When the agent kills helm and reports a failure. */
  killAfterMs: number;
  /** What the run is about, for its trace span (the release, and the chart and version of an upgrade). */
  subject?: { release: string; chart?: string; version?: string };
}

/** The timeout helm gets: the instruction's when it is above 10 s, otherwise 5 minutes. */
export function effectiveTimeoutMs(instructionTimeoutMs: number): number {
  return instructionTimeoutMs > MIN_INSTRUCTION_TIMEOUT_MS ? instructionTimeoutMs : DEFAULT_HELM_TIMEOUT_MS;
}

/** A Go duration helm understands (whole seconds, rounded up). */
export function helmDuration(ms: number): string {
  return `${Math.ceil(ms / 1000)}s`;
}

/** The registry host (`host[:port]`) of an `oci://host[:port]/path` chart reference, lower-cased; undefined otherwise. */
export function registryHostOf(chart: string): string | undefined {
  const m = /^oci:\/\/([^/]+)/i.exec(chart.trim());
  return m?.[1]?.toLowerCase();
}

/** Whether `host[:port]` is listed, either exactly or by its host part alone. */
export function isInsecureRegistry(hostWithPort: string, insecure: readonly string[]): boolean {
  const host = hostWithPort.startsWith('[') ? hostWithPort.slice(0, hostWithPort.indexOf(']') + 1) : (hostWithPort.split(':')[0] ?? hostWithPort);
  return insecure.includes(hostWithPort) || insecure.includes(host);
}

@Injectable()
export class HelmCommandBuilder {
  private readonly insecure: string[];

  constructor(@Inject(NAISD_CONFIG) private readonly config: Pick<NaisdConfig, 'kubeconfig' | 'namespace' | 'insecureRegistries' | 'helmKillGraceMs'>) {
    this.insecure = parseHostList(config.insecureRegistries);
  }

  get dryRun(): boolean {
    return isDryRun(this.config);
  }

  upgrade(c: UpgradeCommand): HelmCommand {
    const helmTimeoutMs = effectiveTimeoutMs(c.timeoutMs);
    // helm 4 pulls `oci://…@sha256:…` by digest (and then ignores --version, which stays for the reader).
    const args = [
      'upgrade',
      '--install',
      c.release,
      `${c.chart}@${c.chartDigest}`,
      '--version',
      c.featureVersion,
      '--namespace',
      this.config.namespace,
      '--create-namespace',
    ];
    args.push('-f', c.valuesFile, '--timeout', helmDuration(helmTimeoutMs), '--history-max', String(HISTORY_MAX), '--labels', `${DIID_LABEL}=${c.diid}`);
    if (this.config.kubeconfig !== undefined) {
      args.push('--kubeconfig', this.config.kubeconfig, '--rollback-on-failure', '--wait=watcher', '--cleanup-on-fail');
    } else {
      // No cluster: render and validate client-side only. Secrets stay out of the streamed manifest.
      args.push('--dry-run=client', '--hide-secret');
    }
    const host = registryHostOf(c.chart);
    if (host !== undefined && isInsecureRegistry(host, this.insecure)) args.push('--plain-http');
    return {
      args,
      helmTimeoutMs,
      killAfterMs: helmTimeoutMs + this.config.helmKillGraceMs,
      subject: { release: c.release, chart: c.chart, version: c.featureVersion },
    };
  }

  uninstall(release: string, timeoutMs: number): HelmCommand {
    const helmTimeoutMs = effectiveTimeoutMs(timeoutMs);
    const args = ['uninstall', release, '--namespace', this.config.namespace, '--timeout', helmDuration(helmTimeoutMs)];
    // A release that is not there is uninstalled: an uninstall delivered again (after a restart) reports `uninstalled`
    // again instead of failing. Without a cluster the memory driver holds no releases: simulate.
    args.push('--ignore-not-found');
    if (this.config.kubeconfig !== undefined) args.push('--kubeconfig', this.config.kubeconfig);
    else args.push('--dry-run');
    return { args, helmTimeoutMs, killAfterMs: helmTimeoutMs + this.config.helmKillGraceMs, subject: { release } };
  }

  /** The release's revisions (only with a cluster: the memory driver of dry-run keeps none). */
  history(name: string): HelmCommand {
    const args = ['history', name, '--namespace', this.config.namespace, '--output', 'json', '--max', String(HISTORY_MAX * 2)];
    if (this.config.kubeconfig !== undefined) args.push('--kubeconfig', this.config.kubeconfig);
    return { args, helmTimeoutMs: 60_000, killAfterMs: 60_000 };
  }

  /** One revision's metadata, with the labels it was written with (only with a cluster). */
  metadata(name: string, revision: number): HelmCommand {
    const args = ['get', 'metadata', name, '--revision', String(revision), '--namespace', this.config.namespace, '--output', 'json'];
    if (this.config.kubeconfig !== undefined) args.push('--kubeconfig', this.config.kubeconfig);
    return { args, helmTimeoutMs: 60_000, killAfterMs: 60_000 };
  }

  /** Back to an earlier revision, without waiting for its workloads (the deploy that follows waits). */
  rollback(name: string, revision: number, timeoutMs: number): HelmCommand {
    const helmTimeoutMs = effectiveTimeoutMs(timeoutMs);
    const args = [
      'rollback',
      name,
      String(revision),
      '--namespace',
      this.config.namespace,
      '--timeout',
      helmDuration(helmTimeoutMs),
      '--history-max',
      String(HISTORY_MAX),
    ];
    if (this.config.kubeconfig !== undefined) args.push('--kubeconfig', this.config.kubeconfig);
    return { args, helmTimeoutMs, killAfterMs: helmTimeoutMs + this.config.helmKillGraceMs, subject: { release: name } };
  }

  /** The values helm holds for a release in the agent's namespace, as JSON (only with a cluster). */
  values(name: string): HelmCommand {
    const args = ['get', 'values', name, '--namespace', this.config.namespace, '--output', 'json'];
    if (this.config.kubeconfig !== undefined) args.push('--kubeconfig', this.config.kubeconfig);
    return { args, helmTimeoutMs: 60_000, killAfterMs: 60_000 };
  }

  list(): HelmCommand {
    const args = ['list', '--output', 'json', '--max', String(LIST_MAX), '--deployed', '--failed', '--pending'];
    // --all-namespaces needs the Kubernetes API; the memory driver (dry-run) answers for one namespace only.
    if (this.config.kubeconfig !== undefined) args.push('--all-namespaces', '--kubeconfig', this.config.kubeconfig);
    else args.push('--namespace', this.config.namespace);
    return { args, helmTimeoutMs: 60_000, killAfterMs: 60_000 };
  }
}
