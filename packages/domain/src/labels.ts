// Labels and matching: an assignment's target matches an environment whose labels are a superset of it.

export type Labels = Readonly<Record<string, string>>;

/** Kubernetes label key: optional DNS-subdomain prefix + "/" + name of at most 63 characters. */
const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/** Returns why a label key is invalid, or undefined. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const [prefix, name] = slash >= 0 ? [key.slice(0, slash), key.slice(slash + 1)] : [undefined, key];
  if (prefix !== undefined && (prefix.length > 253 || !PREFIX.test(prefix))) return `label key "${key}": the prefix must be a DNS subdomain`;
  if (!NAME.test(name)) return `label key "${key}": must be 1-63 characters of letters, digits, "-", "_" or ".", starting and ending with a letter or digit`;
  return undefined;
}

export function labelValueProblem(key: string, value: string): string | undefined {
  if (!VALUE.test(value))
    return `label "${key}" value "${value}": must be at most 63 characters of letters, digits, "-", "_" or ".", starting and ending with a letter or digit`;
  return undefined;
}

/** True when every (k, v) of the target is in the labels. `{}` matches everything. */
export function matches(target: Labels, labels: Labels): boolean {
  for (const [k, v] of Object.entries(target)) if (labels[k] !== v) return false;
  return true;
}

/** Parses a selector `k=v,k2=v2` (the `?labels=` query). */
export function parseSelector(s: string): Labels {
  const out: Record<string, string> = {};
  for (const part of s
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const i = part.indexOf('=');
    if (i <= 0) throw new Error(`selector "${part}": expected key=value`);
    out[part.slice(0, i)] = part.slice(i + 1);
  }
  return out;
}

/** DNS label (RFC 1123): what tenant, environment and feature names must be. */
export function dnsLabelProblem(what: string, name: string): string | undefined {
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(name))
    return `${what} "${name}": must be a DNS label (1-63 lowercase letters, digits or "-", starting and ending with a letter or digit)`;
  if (name.length < 2) return `${what} "${name}": must be at least 2 characters`;
  return undefined;
}
