// Maps `helm list --output json` to the catalogue's HelmRelease.
import type { HelmRelease } from '@fasit/bus';

interface HelmListEntry {
  name?: unknown;
  revision?: unknown;
  updated?: unknown;
  status?: unknown;
  chart?: unknown;
}

/** The version part of helm's `<chart>-<version>` (the first `-` followed by a semantic version). */
export function chartVersionOf(chart: string): string {
  const m = /^.*?-(v?\d+\.\d+\.\d+.*)$/.exec(chart);
  return m?.[1] ?? '';
}

/** helm prints `2026-11-20 10:11:12.123456 +0000 UTC`; the catalogue wants ISO 8601 (or null when unreadable). */
export function helmTimeToIso(updated: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(\.\d+)? ([+-]\d{2})(\d{2})/.exec(updated.trim());
  if (!m) return null;
  const fraction = (m[3] ?? '').slice(0, 4);
  const date = new Date(`${m[1]}T${m[2]}${fraction}${m[4]}:${m[5]}`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** The names of the listed releases that live in `namespace` (`helm list --all-namespaces` lists every one). */
export function namesInNamespace(json: string, namespace: string): Set<string> {
  const parsed: unknown = JSON.parse(json.trim() === '' ? '[]' : json);
  if (!Array.isArray(parsed)) throw new Error('helm list did not print a JSON array');
  const names = (parsed as (HelmListEntry & { namespace?: unknown })[])
    .filter((e) => e.namespace === namespace && typeof e.name === 'string')
    .map((e) => e.name as string);
  return new Set(names);
}

export function mapHelmList(json: string): HelmRelease[] {
  const parsed: unknown = JSON.parse(json.trim() === '' ? '[]' : json);
  if (!Array.isArray(parsed)) throw new Error('helm list did not print a JSON array');
  return (parsed as HelmListEntry[]).map((e) => {
    const chart = typeof e.chart === 'string' ? e.chart : '';
    const revision = Number(e.revision);
    return {
      name: typeof e.name === 'string' ? e.name : '',
      chartVersion: chartVersionOf(chart),
      status: typeof e.status === 'string' ? e.status : 'unknown',
      revision: Number.isInteger(revision) ? revision : 0,
      lastDeployed: typeof e.updated === 'string' ? helmTimeToIso(e.updated) : null,
    };
  });
}
