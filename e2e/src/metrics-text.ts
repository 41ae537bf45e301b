// Reads the Prometheus text exposition format (what /metrics answers) into samples, for tests that compare a
// counter before and after something happened. Comments (# HELP, # TYPE) are skipped; label values are unescaped.

export interface MetricSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export function parseMetricsText(text: string): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const nameEnd = line.search(/[{\s]/);
    if (nameEnd <= 0) throw new Error(`metrics line ${i + 1}: no metric name: ${line}`);
    const name = line.slice(0, nameEnd);
    const labels: Record<string, string> = {};
    let rest = line.slice(nameEnd);
    if (rest.startsWith('{')) {
      let j = 1;
      while (rest[j] !== '}') {
        const eq = rest.indexOf('=', j);
        if (eq < 0 || rest[eq + 1] !== '"') throw new Error(`metrics line ${i + 1}: malformed labels: ${line}`);
        const key = rest.slice(j, eq).trim();
        let value = '';
        let k = eq + 2;
        for (; k < rest.length && rest[k] !== '"'; k++) {
          const c = rest[k]!;
          if (c === '\\') {
            const next = rest[++k];
            value += next === 'n' ? '\n' : (next ?? '');
          } else value += c;
        }
        if (k >= rest.length) throw new Error(`metrics line ${i + 1}: unterminated label value: ${line}`);
        labels[key] = value;
        j = k + 1;
        if (rest[j] === ',') j++;
        if (j >= rest.length) throw new Error(`metrics line ${i + 1}: unterminated labels: ${line}`);
      }
      rest = rest.slice(j + 1);
    }
    const [valueText] = rest.trim().split(/\s+/);
    // As Prometheus reads them (Go's ParseFloat): NaN and Inf in any case; prom-client writes an idle gauge as `Nan`.
    const special = valueText?.toLowerCase();
    const value = special === '+inf' || special === 'inf' ? Infinity : special === '-inf' ? -Infinity : special === 'nan' ? Number.NaN : Number(valueText);
    if (valueText === undefined || (Number.isNaN(value) && special !== 'nan')) throw new Error(`metrics line ${i + 1}: not a number: ${line}`);
    samples.push({ name, labels, value });
  }
  return samples;
}

/** The sum of the samples named `name` whose labels include `labels` (0 when none). */
export function metricValue(samples: readonly MetricSample[], name: string, labels: Record<string, string> = {}): number {
  return samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((sum, s) => sum + s.value, 0);
}

/** Scrapes `<url>/metrics`; fails with the status when it does not answer 200 in the Prometheus text format. */
export async function scrapeMetrics(url: string): Promise<MetricSample[]> {
  const res = await fetch(`${url}/metrics`);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET ${url}/metrics → ${res.status}: ${text.slice(0, 200)}`);
  if (!(res.headers.get('content-type') ?? '').startsWith('text/plain')) throw new Error(`GET ${url}/metrics: content-type ${res.headers.get('content-type')}`);
  return parseMetricsText(text);
}
