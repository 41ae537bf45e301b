// The patch kinds the API server accepts, as far as a fake needs them: JSON merge patch (RFC 7386), a strategic
// merge patch that merges lists of named objects by `name` (the common case: containers, env, volumes, ports)
// and honours `$patch: delete|replace` and `$setElementOrder/<list>`, JSON patch (RFC 6902), and server-side
// apply approximated by "merge the applied object over the live one, dropping what this field manager applied
// before and no longer applies". No schema is consulted: a real API server can merge differently.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export class PatchError extends Error {}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const clone = <T>(v: T): T => structuredClone(v);

export function mergePatch(target: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) return clone(patch);
  const out: JsonObject = isObject(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export function strategicMergePatch(target: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) return clone(patch);
  if (patch['$patch'] === 'replace') return stripDirectives(patch);
  if (patch['$patch'] === 'delete') return null;
  const out: JsonObject = isObject(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$')) continue;
    if (v === null) delete out[k];
    else if (Array.isArray(v)) out[k] = mergeList(out[k], v, patch[`$setElementOrder/${k}`]);
    else out[k] = strategicMergePatch(out[k], v);
  }
  return out;
}

function mergeList(target: Json | undefined, patch: Json[], order: Json | undefined): Json[] {
  const named = (xs: readonly Json[]): xs is JsonObject[] => xs.length > 0 && xs.every((x) => isObject(x) && typeof x['name'] === 'string');
  if (!Array.isArray(target) || !named(patch) || !(target.length === 0 || named(target))) return patch.map(stripDirectives);
  const byName = new Map<string, Json>((target as JsonObject[]).map((x) => [x['name'] as string, x]));
  for (const p of patch) {
    const name = p['name'] as string;
    if (p['$patch'] === 'delete') byName.delete(name);
    else byName.set(name, strategicMergePatch(byName.get(name), p));
  }
  if (!Array.isArray(order)) return [...byName.values()];
  const names = order.flatMap((o) => (isObject(o) && typeof o['name'] === 'string' ? [o['name']] : []));
  const ordered = names.flatMap((n) => (byName.has(n) ? [byName.get(n) as Json] : []));
  return [...ordered, ...[...byName].filter(([n]) => !names.includes(n)).map(([, v]) => v)];
}

function stripDirectives(v: Json): Json {
  if (Array.isArray(v)) return v.map(stripDirectives);
  if (!isObject(v)) return v;
  return Object.fromEntries(
    Object.entries(v)
      .filter(([k]) => !k.startsWith('$'))
      .map(([k, x]) => [k, stripDirectives(x)]),
  );
}

/** RFC 6902. */
export function jsonPatch(target: Json, ops: Json): Json {
  if (!Array.isArray(ops)) throw new PatchError('a JSON patch is an array of operations');
  let doc = clone(target);
  for (const op of ops) {
    if (!isObject(op) || typeof op['op'] !== 'string' || typeof op['path'] !== 'string') throw new PatchError(`invalid operation ${JSON.stringify(op)}`);
    const path = op['path'];
    switch (op['op']) {
      case 'add':
        doc = setAt(doc, path, op['value'] ?? null, 'add');
        break;
      case 'replace':
        getAt(doc, path);
        doc = setAt(doc, path, op['value'] ?? null, 'replace');
        break;
      case 'remove':
        doc = removeAt(doc, path);
        break;
      case 'test':
        if (JSON.stringify(getAt(doc, path)) !== JSON.stringify(op['value'] ?? null)) throw new PatchError(`test failed at ${path}`);
        break;
      case 'copy':
      case 'move': {
        if (typeof op['from'] !== 'string') throw new PatchError(`${op['op']} needs "from"`);
        const value = getAt(doc, op['from']);
        if (op['op'] === 'move') doc = removeAt(doc, op['from']);
        doc = setAt(doc, path, value, 'add');
        break;
      }
      default:
        throw new PatchError(`unknown operation ${op['op']}`);
    }
  }
  return doc;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new PatchError(`invalid JSON pointer ${JSON.stringify(path)}`);
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function getAt(doc: Json, path: string): Json {
  let cur: Json | undefined = doc;
  for (const seg of pointer(path)) {
    cur = Array.isArray(cur) ? cur[Number(seg)] : isObject(cur) ? cur[seg] : undefined;
    if (cur === undefined) throw new PatchError(`no value at ${path}`);
  }
  return cur;
}

function setAt(doc: Json, path: string, value: Json, mode: 'add' | 'replace'): Json {
  const segs = pointer(path);
  const last = segs.pop();
  if (last === undefined) return clone(value);
  const parent = getAt(doc, segs.length === 0 ? '' : `/${segs.map((s) => s.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`);
  if (Array.isArray(parent)) {
    const i = last === '-' ? parent.length : Number(last);
    if (!Number.isInteger(i) || i < 0 || i > parent.length) throw new PatchError(`index ${last} out of range at ${path}`);
    if (mode === 'add') parent.splice(i, 0, clone(value));
    else parent[i] = clone(value);
  } else if (isObject(parent)) parent[last] = clone(value);
  else throw new PatchError(`no container at ${path}`);
  return doc;
}

function removeAt(doc: Json, path: string): Json {
  const segs = pointer(path);
  const last = segs.pop();
  if (last === undefined) throw new PatchError('cannot remove the whole document');
  getAt(doc, path);
  const parent = getAt(doc, segs.length === 0 ? '' : `/${segs.map((s) => s.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`);
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else if (isObject(parent)) delete parent[last];
  return doc;
}

/**
 * Server-side apply, approximated: what `previous` (this manager's last applied object) had and `applied` no
 * longer has is removed from `live`, then `applied` is merged over it (maps merged, lists replaced unless they
 * are lists of named objects).
 */
export function serverSideApply(live: Json | undefined, applied: Json, previous: Json | undefined): Json {
  const pruned = previous === undefined ? live : prune(live, previous, applied);
  return strategicMergePatch(pruned, applied);
}

function prune(live: Json | undefined, previous: Json, applied: Json | undefined): Json | undefined {
  if (!isObject(live) || !isObject(previous)) return live;
  const out = clone(live);
  for (const [k, v] of Object.entries(previous)) {
    const now = isObject(applied) ? applied[k] : undefined;
    if (now === undefined) delete out[k];
    else if (isObject(v) && isObject(now)) out[k] = prune(out[k], v, now) ?? null;
  }
  return out;
}
