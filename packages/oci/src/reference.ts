import { OciError } from './errors.js';

/** A parsed `oci://host[:port]/path/name` chart reference, optionally pinned to a version (tag) or a digest. */
export interface ChartReference {
  /** `host[:port]` exactly as the registry is addressed (lower-cased host). */
  registry: string;
  /** Repository path inside the registry, e.g. `charts/demo-feature`. */
  repository: string;
  /** Last path component: the chart name Helm expects. */
  name: string;
  /** The version as given (SemVer, may contain `+`), if any. */
  version?: string;
  /** The OCI tag for `version`: Helm stores `+` as `_` because tags cannot contain `+`. */
  tag?: string;
  /** `sha256:<hex>` when the reference pins a manifest digest. */
  digest?: string;
}

// Distribution spec grammar (https://github.com/opencontainers/distribution-spec, "pulling manifests").
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const HOST_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const IPV6 = /^\[[0-9a-f:.]+\]$/;

function invalid(input: string, why: string): OciError {
  return new OciError('INVALID_REFERENCE', `invalid chart reference "${input}": ${why}`);
}

/** Validates `host[:port]` and returns it lower-cased. */
export function parseRegistryHost(host: string, input = host): string {
  const lower = host.toLowerCase();
  const m = /^(\[[^\]]*\]|[^:]+)(?::(\d+))?$/.exec(lower);
  if (!m || m[1] === undefined) throw invalid(input, `"${host}" is not a host[:port]`);
  const hostname = m[1];
  const port = m[2];
  if (port !== undefined) {
    const n = Number(port);
    if (!Number.isInteger(n) || n < 1 || n > 65535 || port.length > 5) throw invalid(input, `port "${port}" is out of range`);
  }
  if (!IPV6.test(hostname) && !hostname.split('.').every((label) => HOST_LABEL.test(label))) {
    throw invalid(input, `"${hostname}" is not a valid host name`);
  }
  return port === undefined ? hostname : `${hostname}:${port}`;
}

/** Helm's mapping of a chart version to an OCI tag (`+` is not allowed in tags). */
export function versionToTag(version: string): string {
  return version.replaceAll('+', '_');
}

/**
 * Parses `oci://host[:port]/path/name`, optionally followed by `:tag` or `@sha256:…`, plus an optional version
 * given separately (as `helm pull … --version`). A version both in the reference and as an argument must agree.
 */
export function parseChartReference(input: string, version?: string): ChartReference {
  const trimmed = input.trim();
  if (!trimmed.startsWith('oci://')) throw invalid(input, 'it must start with oci://');
  const rest = trimmed.slice('oci://'.length);
  if (/[?#\s]/.test(rest)) throw invalid(input, 'query strings, fragments and spaces are not allowed');
  const slash = rest.indexOf('/');
  if (slash < 0) throw invalid(input, 'it needs a repository path after the host, e.g. oci://host/charts/name');
  const hostPart = rest.slice(0, slash);
  if (hostPart.includes('@')) throw invalid(input, 'credentials in the reference are not allowed; configure them on the client');
  if (hostPart === '') throw invalid(input, 'the host is empty');
  const registry = parseRegistryHost(hostPart, input);

  let path = rest.slice(slash + 1);
  let digest: string | undefined;
  let tag: string | undefined;
  const at = path.indexOf('@');
  if (at >= 0) {
    digest = path.slice(at + 1);
    path = path.slice(0, at);
    if (!DIGEST.test(digest)) throw invalid(input, `"${digest}" is not a sha256 digest`);
  }
  const lastSlash = path.lastIndexOf('/');
  const colon = path.indexOf(':', lastSlash + 1);
  if (colon >= 0) {
    tag = path.slice(colon + 1);
    path = path.slice(0, colon);
    if (!TAG.test(versionToTag(tag))) throw invalid(input, `"${tag}" is not a valid tag`);
  }
  if (path.endsWith('/')) path = path.slice(0, -1);
  if (path === '') throw invalid(input, 'the repository path is empty');
  for (const component of path.split('/')) {
    if (!PATH_COMPONENT.test(component)) {
      throw invalid(input, `path component "${component}" must be lower-case letters and digits, separated by ".", "_", "__" or "-"`);
    }
  }

  let chosenVersion = tag;
  if (version !== undefined && version !== '') {
    if (tag !== undefined && versionToTag(tag) !== versionToTag(version)) {
      throw invalid(input, `the reference's tag "${tag}" disagrees with version "${version}"`);
    }
    if (!TAG.test(versionToTag(version))) throw invalid(input, `version "${version}" cannot be an OCI tag`);
    chosenVersion = version;
  }

  const name = path.slice(path.lastIndexOf('/') + 1);
  const ref: ChartReference = { registry, repository: path, name };
  if (chosenVersion !== undefined) {
    ref.version = chosenVersion;
    ref.tag = versionToTag(chosenVersion);
  }
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

/** `oci://host/path/name` (without version), the form Helm takes together with `--version`. */
export function formatChartReference(ref: Pick<ChartReference, 'registry' | 'repository'>): string {
  return `oci://${ref.registry}/${ref.repository}`;
}
