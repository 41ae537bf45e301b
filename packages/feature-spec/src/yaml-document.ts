import yaml from 'js-yaml';

/** A 1-based position in the file. */
export interface Position {
  line: number;
  column: number;
}

export type PathSegment = string | number;

/** Where a node sits: its key (for mapping entries) and its value. */
export interface NodeLocation {
  key?: Position;
  value: Position;
  /** The first character of the value as written: `|`, `>`, `"`, `'` or anything else. */
  valueStyle: string;
  /** The line on which the value ends (a multi-line scalar ends below its start). */
  valueEndLine: number;
}

export type YamlLoadFailure = {
  ok: false;
  kind: 'syntax' | 'tab-indentation' | 'duplicate-key' | 'multiple-documents' | 'empty';
  position: Position;
  path: PathSegment[];
  message: string;
};

export type YamlLoadResult = { ok: true; value: unknown; locate: (path: readonly PathSegment[]) => NodeLocation } | YamlLoadFailure;

interface EventNode {
  start: number;
  end: number;
  kind: string | null;
  result: unknown;
  closed: boolean;
  children: EventNode[];
}

interface ListenerState {
  position: number;
  kind: string | null;
  result: unknown;
  input: string;
}

/** YAML 1.2 core schema (JSON-compatible scalars: no dates, no binary) plus `<<` merge keys, as Helm accepts them. */
const MERGE_KEY = new yaml.Type('tag:yaml.org,2002:merge', { kind: 'scalar', resolve: (data: unknown) => data === '<<' || data === null });
const FEATURE_YAML_SCHEMA = yaml.CORE_SCHEMA.extend({ implicit: [MERGE_KEY] });

/**
 * Loads one YAML document (core schema: JSON-compatible values only) and keeps where every node starts, using
 * js-yaml's `listener`, so that later checks can point at a line and column. Never throws for bad input.
 */
export function loadYamlWithPositions(text: string): YamlLoadResult {
  const roots: EventNode[] = [];
  const stack: EventNode[] = [];
  let input = text;
  const listener = (event: 'open' | 'close', state: ListenerState): void => {
    input = state.input;
    if (event === 'open') {
      const node: EventNode = { start: state.position, end: state.position, kind: null, result: null, closed: false, children: [] };
      const parent = stack.at(-1);
      if (parent === undefined) roots.push(node);
      else parent.children.push(node);
      stack.push(node);
      return;
    }
    const node = stack.pop();
    if (node === undefined) return;
    node.kind = state.kind;
    node.result = state.result;
    node.end = state.position;
    node.closed = true;
  };

  let documents: unknown[];
  try {
    documents = yaml.loadAll(text, null, { schema: FEATURE_YAML_SCHEMA, listener });
  } catch (error) {
    if (!(error instanceof yaml.YAMLException)) throw error;
    return describeYamlException(error, input, stack);
  }

  const lines = lineIndex(input);
  const realRoots = roots.filter((root) => root.kind !== null || root.children.length > 0);
  if (documents.length > 1) {
    const second = roots[1];
    const position = second === undefined ? { line: 1, column: 1 } : lines.toPosition(contentStart(input, second.start));
    return {
      ok: false,
      kind: 'multiple-documents',
      position,
      path: [],
      message: 'a Feature.yaml holds exactly one YAML document, but a second one starts here (remove the "---" separator)',
    };
  }
  const value = documents[0];
  if (value === undefined || (value === null && realRoots.length === 0)) {
    return { ok: false, kind: 'empty', position: { line: 1, column: 1 }, path: [], message: 'the file is empty' };
  }

  const locations = new Map<string, NodeLocation>();
  const root = roots[0];
  if (root !== undefined) recordLocations(root, [], value, undefined, input, lines, locations);
  const fallback: NodeLocation = { value: { line: 1, column: 1 }, valueStyle: '', valueEndLine: 1 };
  const locate = (path: readonly PathSegment[]): NodeLocation => {
    for (let length = path.length; length >= 0; length--) {
      const found = locations.get(pathKey(path.slice(0, length)));
      if (found !== undefined) return found;
    }
    return fallback;
  };
  return { ok: true, value, locate };
}

function recordLocations(
  node: EventNode,
  path: PathSegment[],
  value: unknown,
  key: Position | undefined,
  input: string,
  lines: LineIndex,
  out: Map<string, NodeLocation>,
): void {
  const hasContent = node.kind !== null;
  const start = hasContent ? contentStart(input, node.start) : node.start;
  const position = hasContent || key === undefined ? lines.toPosition(start) : key;
  const location: NodeLocation = {
    value: position,
    valueStyle: hasContent ? (input[start] ?? '') : '',
    valueEndLine: hasContent ? lines.toPosition(trimEnd(input, node.end)).line : position.line,
  };
  if (key !== undefined) location.key = key;
  out.set(pathKey(path), location);

  if (node.kind === 'mapping' && isPlainObject(value) && node.children.length % 2 === 0) {
    for (let i = 0; i < node.children.length; i += 2) {
      const keyNode = node.children[i];
      const valueNode = node.children[i + 1];
      if (keyNode === undefined || valueNode === undefined) continue;
      const name = String(keyNode.result);
      if (!Object.hasOwn(value, name)) continue;
      const keyPosition = lines.toPosition(contentStart(input, keyNode.start));
      recordLocations(valueNode, [...path, name], value[name], keyPosition, input, lines, out);
    }
  } else if (node.kind === 'sequence' && Array.isArray(value) && node.children.length === value.length) {
    node.children.forEach((child, index) => {
      recordLocations(child, [...path, index], value[index] as unknown, undefined, input, lines, out);
    });
  }
}

function describeYamlException(error: yaml.YAMLException, input: string, stack: EventNode[]): YamlLoadFailure {
  const mark = (error as yaml.YAMLException & { mark?: { line?: number; column?: number } }).mark;
  const position = { line: (mark?.line ?? 0) + 1, column: (mark?.column ?? 0) + 1 };
  const reason = error.reason || error.message;
  if (reason.startsWith('duplicated mapping key')) {
    const { path, firstLine } = duplicateKeyContext(input, stack);
    const name = path.at(-1);
    const first = firstLine === undefined ? '' : ` (first defined on line ${firstLine})`;
    return {
      ok: false,
      kind: 'duplicate-key',
      position,
      path,
      message: `duplicate key${name === undefined ? '' : ` "${String(name)}"`}${first}; each key may appear only once in a mapping`,
    };
  }
  if (reason.includes('tab characters')) {
    return { ok: false, kind: 'tab-indentation', position, path: [], message: 'YAML syntax error: tab character in indentation; indent with spaces' };
  }
  return { ok: false, kind: 'syntax', position, path: [], message: `YAML syntax error: ${reason}` };
}

/** At a duplicate key, the innermost open mapping's last child is the repeated key: rebuild its path. */
function duplicateKeyContext(input: string, stack: EventNode[]): { path: PathSegment[]; firstLine?: number } {
  const path: PathSegment[] = [];
  for (let depth = 1; depth < stack.length; depth++) {
    const parent = stack[depth - 1];
    const node = stack[depth];
    if (parent === undefined || node === undefined) continue;
    const index = parent.children.indexOf(node);
    const before = previousSignificantChar(input, node.start);
    if (before === ':' && index > 0) path.push(String(parent.children[index - 1]?.result));
    else if (before === '-' || before === '[' || before === ',') path.push(index);
  }
  // js-yaml stores a pair once its value is read: the repeated key is the last child, or the one before its value.
  const mapping = stack.at(-1);
  const repeated = mapping?.children.at(mapping.children.length % 2 === 0 ? -2 : -1);
  if (mapping === undefined || repeated === undefined) return { path };
  const name = String(repeated.result);
  path.push(name);
  const lines = lineIndex(input);
  const first = mapping.children.find((child, i) => i % 2 === 0 && child !== repeated && String(child.result) === name);
  return first === undefined ? { path } : { path, firstLine: lines.toPosition(contentStart(input, first.start)).line };
}

function previousSignificantChar(input: string, position: number): string {
  let i = position - 1;
  while (i >= 0 && (input[i] === ' ' || input[i] === '\t')) i--;
  return input[i] ?? '';
}

/** Skips spaces, line breaks and comments: js-yaml opens a node before seeking to its content. */
function contentStart(input: string, position: number): number {
  let i = position;
  while (i < input.length) {
    const ch = input[i];
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') i++;
    else if (ch === '#') {
      while (i < input.length && input[i] !== '\n') i++;
    } else break;
  }
  return i;
}

/** The offset just after the last non-space character before `end`: js-yaml may close a node after line breaks. */
function trimEnd(input: string, end: number): number {
  let i = end;
  while (i > 0 && /\s/.test(input[i - 1] ?? '')) i--;
  return Math.max(0, i - 1);
}

interface LineIndex {
  toPosition(offset: number): Position;
}

function lineIndex(input: string): LineIndex {
  const starts = [0];
  for (let i = 0; i < input.length; i++) if (input[i] === '\n') starts.push(i + 1);
  return {
    toPosition(offset: number): Position {
      let low = 0;
      let high = starts.length - 1;
      while (low < high) {
        const mid = (low + high + 1) >> 1;
        if ((starts[mid] ?? 0) <= offset) low = mid;
        else high = mid - 1;
      }
      return { line: low + 1, column: offset - (starts[low] ?? 0) + 1 };
    },
  };
}

export function pathKey(path: readonly PathSegment[]): string {
  return JSON.stringify(path);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Renders a path for people: `values."image.tag".config.type`, `dependencies[0].allOf`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else {
      const name = IDENTIFIER.test(segment) ? segment : JSON.stringify(segment);
      out += out === '' ? name : `.${name}`;
    }
  }
  return out;
}
