// The engine's public face: parse (cached per function set and text), execute with limits, typed errors.
import type { FunctionMap } from '../functions/signature.js';
import type { GoValue } from '../value.js';
import type { Tree } from './ast.js';
import { builtins } from './builtins.js';
import { executeTree, ExecFailure, type MissingKey } from './exec.js';
import { ParseFailure, parseTrees } from './parser.js';
import { collectReferences, type TemplateReferences } from './references.js';

export const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 2000;
const DEFAULT_NAME = 'template';
const CACHE_LIMIT = 512;

/** The template did not parse. `message` is Go's (`template: <name>:<line>: ...`). */
export class TemplateParseError extends Error {
  override readonly name = 'TemplateParseError';
  readonly code = 'TEMPLATE_PARSE';
  readonly retryable = false;
  constructor(
    message: string,
    /** 1-based line of the offending token. */
    readonly line: number,
    /** 1-based column (in bytes, as Go counts) of the offending token. */
    readonly column: number,
  ) {
    super(message);
  }
}

/** The template failed while executing (Go's exec error, or a resource limit). Partial output is discarded. */
export class TemplateExecError extends Error {
  override readonly name = 'TemplateExecError';
  readonly code = 'TEMPLATE_EXEC';
  readonly retryable = false;
  constructor(
    message: string,
    /** Set when a resource limit stopped the template. */
    readonly limit?: 'maxOutputBytes' | 'timeoutMs',
  ) {
    super(message);
  }
}

export interface ParseOptions {
  functions: FunctionMap;
  /** Template name used in error messages (Go's template.New(name)). */
  name?: string;
}

export interface ExecuteOptions {
  /** Go's Option("missingkey=..."): 'default' prints <no value>, 'error' fails, 'zero' yields the zero value. */
  missingkey?: MissingKey;
  maxOutputBytes?: number;
  timeoutMs?: number;
}

export class Template {
  private refs: TemplateReferences | undefined;

  constructor(
    readonly name: string,
    readonly text: string,
    private readonly functions: FunctionMap,
    private readonly trees: ReadonlyMap<string, Tree>,
  ) {}

  /** Names of the templates defined in the text (the top-level one included). */
  get definedTemplates(): string[] {
    return [...this.trees.keys()];
  }

  execute(data: GoValue, options: ExecuteOptions = {}): string {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    try {
      return executeTree(
        {
          parseName: this.name,
          text: this.text,
          trees: this.trees,
          functions: this.functions,
          missingKey: options.missingkey ?? 'default',
          limits: {
            maxOutputBytes: options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
            timeoutMs,
            deadline: Date.now() + timeoutMs,
          },
        },
        this.name,
        data,
      );
    } catch (e) {
      if (e instanceof ExecFailure) throw new TemplateExecError(e.message, e.limit);
      const msg = e instanceof Error ? e.message : String(e);
      throw new TemplateExecError(`template: ${this.name}: internal error: ${msg}`);
    }
  }

  /** Fields, variables, functions and templates the text refers to (static; see references.ts). */
  references(): TemplateReferences {
    this.refs ??= collectReferences(this.name, this.trees);
    return this.refs;
  }
}

const cache = new WeakMap<FunctionMap, Map<string, Template>>();

/** Parse a template; results are cached per (function set, name, text). Throws TemplateParseError. */
export function parseTemplate(text: string, options: ParseOptions): Template {
  const name = options.name ?? DEFAULT_NAME;
  const functions = options.functions;
  let perSet = cache.get(functions);
  if (perSet === undefined) {
    perSet = new Map();
    cache.set(functions, perSet);
  }
  const key = `${name}\u0000${text}`;
  const hit = perSet.get(key);
  if (hit !== undefined) {
    // refresh its place in the LRU order
    perSet.delete(key);
    perSet.set(key, hit);
    return hit;
  }
  let trees: Map<string, Tree>;
  try {
    trees = parseTrees(name, text, (fn) => Object.hasOwn(functions, fn) || builtins.has(fn));
  } catch (e) {
    if (e instanceof ParseFailure) throw new TemplateParseError(e.message, e.line, e.column);
    const msg = e instanceof Error ? e.message : String(e);
    throw new TemplateParseError(`template: ${name}: internal error: ${msg}`, 1, 1);
  }
  const t = new Template(name, text, functions, trees);
  perSet.set(key, t);
  if (perSet.size > CACHE_LIMIT) {
    const oldest = perSet.keys().next();
    if (oldest.done !== true) perSet.delete(oldest.value);
  }
  return t;
}
