// HelmRunner with /bin/sh standing in for the binary: the lane and the environment are the runner's own
// behaviour, whatever the binary is (the integration suite runs the real helm).
import { afterEach, describe, expect, it } from '@jest/globals';
import { HelmRunner } from './helm.runner.js';

const sh = (script: string) => ({ args: ['-c', script], helmTimeoutMs: 10_000, killAfterMs: 10_000 });
const runners: HelmRunner[] = [];
function runner(kubeconfig?: string): HelmRunner {
  const r = new HelmRunner({ helmBin: '/bin/sh', kubeconfig });
  runners.push(r);
  return r;
}

describe('HelmRunner', () => {
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.onModuleDestroy()));
  });

  it('runs one process at a time, in the order asked, even when asked concurrently', async () => {
    const r = runner();
    const spans: [number, number][] = [];
    const timed = async (script: string): Promise<string> => {
      const result = await r.run(sh(script));
      return result.stdout.trim();
    };
    const outputs = await Promise.all(
      ['a', 'b', 'c'].map(async (name) => {
        const out = await timed(`date +%s%N; sleep 0.2; echo ${name}; date +%s%N`);
        const [start, , end] = out.split('\n');
        spans.push([Number(start) / 1e6, Number(end) / 1e6]);
        return out.split('\n')[1];
      }),
    );
    expect(outputs).toEqual(['a', 'b', 'c']);
    spans.sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
  });

  it('idle() resolves only once no run is running or waiting, including runs asked for while it waits (the drain before a self-upgrade)', async () => {
    const r = runner();
    const finished: string[] = [];
    const run = (name: string, seconds: number) => r.run(sh(`sleep ${seconds}; echo ${name}`)).then(() => void finished.push(name));
    // 'late' is asked for while idle() waits, once 'first' finished (as the periodic inventory could): idle() waits for it too.
    void run('first', 0.2).then(() => run('late', 0.1));
    void run('second', 0.2);
    expect(r.pending).toBe(2);
    let idleAt: string[] | undefined;
    const idle = r.idle().then(() => (idleAt = [...finished]));
    await idle;
    expect(idleAt).toEqual(['first', 'second', 'late']);
    expect(r.pending).toBe(0);
    // Nothing to wait for: at once.
    await r.idle();
  });

  it('a failing run does not block the lane', async () => {
    const r = runner();
    const [bad, good] = await Promise.all([r.run(sh('exit 7')), r.run(sh('echo fine'))]);
    expect(bad.exitCode).toBe(7);
    expect(good.stdout).toBe('fine\n');
  });

  it('without a kubeconfig: the memory driver over an empty release file, and a private cache', async () => {
    const r = runner();
    const out = (
      await r.run(sh('echo "$HELM_DRIVER|$HELM_MEMORY_DRIVER_DATA|$HELM_CACHE_HOME|${KUBECONFIG-unset}"; wc -c < "$HELM_MEMORY_DRIVER_DATA"'))
    ).stdout.split('\n');
    const [driver, data, cache, kubeconfig] = out[0]!.split('|');
    expect(driver).toBe('memory');
    expect(data).toMatch(/naisd-helm-.*\/empty-releases\.yaml$/);
    expect(cache).toMatch(/naisd-helm-.*\/cache$/);
    expect(kubeconfig).toBe('unset');
    expect(out[1]?.trim()).toBe('0');
  });

  it('with a kubeconfig: helm’s secret driver and no memory data', async () => {
    const out = (await runner('/etc/kubeconfig').run(sh('echo "$HELM_DRIVER|${HELM_MEMORY_DRIVER_DATA-unset}"'))).stdout.trim();
    expect(out).toBe('secret|unset');
  });
});
