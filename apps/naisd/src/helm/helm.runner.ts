// The one way naisd runs helm: a strict serial lane (one helm process at a time, whatever asked for it), a
// private helm cache, and, without a cluster, helm's memory storage driver over an empty release file. Each run is a
// span (`helm <operation>`), a child of whatever asked for it (an instruction's, an inventory's).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Inject, Injectable, Optional, type OnModuleDestroy } from '@nestjs/common';
import { childProcessEnv } from '@fasit/config';
import { ServiceMetrics } from '@fasit/metrics';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { NAISD_CONFIG, isDryRun, type NaisdConfig } from '../config/naisd.config.js';
import type { HelmCommand } from './helm-command.builder.js';
import { runProcess, type OutputStream, type RunResult } from './process.runner.js';

export type HelmResult = RunResult;

/** The helm verbs naisd runs, as the metrics' `operation` label. */
const HELM_OPERATIONS = new Set(['upgrade', 'uninstall', 'rollback', 'history', 'list', 'status', 'version', 'get']);

const tracer = trace.getTracer('naisd');

@Injectable()
export class HelmRunner implements OnModuleDestroy {
  private lane: Promise<unknown> = Promise.resolve();
  private workDir: Promise<string> | undefined;
  private running = 0;
  private queued = 0;

  constructor(
    @Inject(NAISD_CONFIG) private readonly config: Pick<NaisdConfig, 'helmBin' | 'kubeconfig'>,
    @Optional() private readonly metrics?: ServiceMetrics,
  ) {
    metrics?.collectGauge('fasit_naisd_queue_length', (set) => set(this.queued));
  }

  /** Runs helm after every earlier helm call has finished. */
  run(command: HelmCommand, onLine?: (line: string, stream: OutputStream) => void): Promise<HelmResult> {
    this.queued++;
    // The lane's callback runs in the caller's context: the span's parent is the caller's span.
    const next = this.lane.then(async () => {
      this.running++;
      const operation = operationOf(command);
      const s = command.subject;
      const span = tracer.startSpan(`helm ${operation}`, {
        attributes: {
          'helm.operation': operation,
          ...(s ? { 'helm.release': s.release } : {}),
          ...(s?.chart ? { 'helm.chart': s.chart } : {}),
          ...(s?.version ? { 'helm.chart.version': s.version } : {}),
        },
      });
      try {
        const env = await this.environment();
        const result = await runProcess(this.config.helmBin, command.args, { env, killAfterMs: command.killAfterMs, ...(onLine ? { onLine } : {}) });
        const outcome = result.exitCode === 0 ? 'ok' : 'failed';
        span.setAttribute('helm.result', outcome);
        if (result.exitCode !== null) span.setAttribute('process.exit.code', result.exitCode);
        if (outcome === 'failed') span.setStatus({ code: SpanStatusCode.ERROR, message: (result.spawnError ?? result.stderrLines.join('\n')).slice(0, 500) });
        this.count(command, outcome, result.durationMs);
        return result;
      } catch (e) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: e instanceof Error ? e.message : String(e) });
        throw e;
      } finally {
        span.end();
        this.running--;
        this.queued--;
      }
    });
    this.lane = next.catch(() => undefined);
    return next;
  }

  private count(command: HelmCommand, result: 'ok' | 'failed', durationMs: number): void {
    if (!this.metrics) return;
    const operation = operationOf(command);
    this.metrics.counter('fasit_naisd_helm_runs_total').inc({ operation, result });
    this.metrics.histogram('fasit_naisd_helm_duration_seconds').observe({ operation, result }, durationMs / 1000);
  }

  /** How many helm runs are running or waiting in the lane now. */
  get pending(): number {
    return this.queued;
  }

  /**
   * Resolves once no helm run is running or waiting, including those asked for while this waits (naisd's drain
   * before its self-upgrade: no helm of this naisd may run when the Job's helm replaces it).
   */
  async idle(): Promise<void> {
    while (this.queued > 0) await this.lane;
  }

  /** How many helm processes are running now (never more than one). */
  get inFlight(): number {
    return this.running;
  }

  /** `helm version --short`, used at start to prove the binary works. */
  async version(): Promise<string> {
    const r = await this.run({ args: ['version', '--short'], helmTimeoutMs: 30_000, killAfterMs: 30_000 });
    if (r.exitCode !== 0) throw new Error(`${this.config.helmBin} version failed: ${r.spawnError ?? r.stderrLines.join('\n')}`);
    return r.stdout.trim();
  }

  async onModuleDestroy(): Promise<void> {
    await this.lane;
    if (this.workDir) await rm(await this.workDir, { recursive: true, force: true });
  }

  private environment(): Promise<Record<string, string>> {
    this.workDir ??= (async () => {
      const dir = await mkdtemp(join(tmpdir(), 'naisd-helm-'));
      await writeFile(join(dir, 'empty-releases.yaml'), '');
      return dir;
    })();
    return this.workDir.then((dir) =>
      childProcessEnv({
        HELM_CACHE_HOME: join(dir, 'cache'),
        // Without a cluster: releases live in helm's memory driver, seeded from an empty file, so
        // `upgrade --install --dry-run=client` works and every run starts from "no releases".
        ...(isDryRun(this.config)
          ? { HELM_DRIVER: 'memory', HELM_MEMORY_DRIVER_DATA: join(dir, 'empty-releases.yaml'), KUBECONFIG: undefined }
          : { HELM_DRIVER: 'secret', HELM_MEMORY_DRIVER_DATA: undefined }),
      }),
    );
  }
}

/** The helm verb of a command, bounded (metrics label and span name). */
function operationOf(command: HelmCommand): string {
  const verb = command.args[0] ?? '';
  return HELM_OPERATIONS.has(verb) ? verb : 'other';
}
