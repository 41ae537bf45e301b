// How the function sets declare functions: the Go signature (from which the engine-facing parameter types are
// derived, so documentation and checking cannot drift apart), a one-line description and an example.
import { GoSlice, isGoMap, type GoMap, type GoValue } from '../../value.js';
import { TemplateFuncError, type GoFunction, type GoParamType } from '../signature.js';
import { typeOf } from './go/reflect.js';

export interface FunctionDoc {
  /** The Go signature, e.g. `trunc(c int, s string) string`. */
  signature: string;
  description: string;
  /** A template using the function... */
  example: string;
  /** ...and exactly what it renders (with the set the function belongs to). */
  output: string;
}

export interface FunctionSpec extends GoFunction {
  doc: FunctionDoc;
}

export type SpecMap = Record<string, FunctionSpec>;

const GO_TYPES: Record<string, GoParamType> = {
  'interface{}': 'any',
  string: 'string',
  int: 'int',
  int64: 'int',
  float64: 'float64',
  bool: 'bool',
  '[]interface{}': 'list',
  'map[string]interface{}': 'map',
  '[]string': 'stringList',
};

/** Parses `name(a int, b ...interface{}) T` into params/variadic. */
export function paramsOf(signature: string): { params: GoParamType[]; variadic?: GoParamType } {
  const m = /^[A-Za-z_][\w]*\((.*)\)(?: .*)?$/.exec(signature);
  if (!m) throw new Error(`bad signature ${signature}`);
  const args = m[1]!.trim() === '' ? [] : m[1]!.split(',').map((a) => a.trim());
  const params: GoParamType[] = [];
  let variadic: GoParamType | undefined;
  for (const a of args) {
    const type = a.includes(' ') ? a.slice(a.indexOf(' ') + 1).trim() : a;
    if (type.startsWith('...')) variadic = GO_TYPES[type.slice(3)] ?? 'any';
    else params.push(GO_TYPES[type] ?? 'any');
  }
  return variadic ? { params, variadic } : { params };
}

export function def(signature: string, description: string, example: [template: string, output: string], fn: (...args: GoValue[]) => GoValue): FunctionSpec {
  return { ...paramsOf(signature), fn, doc: { signature, description, example: example[0], output: example[1] } };
}

/** Same implementation under another name (Sprig's aliases: `push` for `append`, ...). */
export function alias(spec: FunctionSpec, name: string, note: string): FunctionSpec {
  const orig = spec.doc.signature.slice(0, spec.doc.signature.indexOf('('));
  const signature = name + spec.doc.signature.slice(orig.length);
  const example = spec.doc.example.replace(new RegExp(`\\b${orig}\\b`), name);
  return { ...spec, doc: { ...spec.doc, signature, description: note, example } };
}

/** A Go panic or returned error. */
export function fail(message: string): never {
  throw new TemplateFuncError(message);
}

// Argument accessors: the engine has already checked declared types; these narrow for TypeScript and guard
// direct calls in tests.
export function str(v: GoValue | undefined): string {
  if (typeof v !== 'string') fail(`wrong type for value; expected string; got ${describe(v)}`);
  return v;
}

export function int(v: GoValue | undefined): bigint {
  if (typeof v !== 'bigint') fail(`wrong type for value; expected int; got ${describe(v)}`);
  return v;
}

export function num(v: GoValue | undefined): number {
  if (typeof v !== 'number') fail(`wrong type for value; expected float64; got ${describe(v)}`);
  return v;
}

export function bool(v: GoValue | undefined): boolean {
  if (typeof v !== 'boolean') fail(`wrong type for value; expected bool; got ${describe(v)}`);
  return v;
}

/** map[string]interface{} parameter: a GoMap, or null for a nil map. */
export function map(v: GoValue | undefined): GoMap | null {
  if (v === null || v === undefined) return null;
  if (!isGoMap(v)) fail(`wrong type for value; expected map[string]interface {}; got ${describe(v)}`);
  return v;
}

/** []string parameter. */
export function strList(v: GoValue | undefined): string[] {
  if (v === null || v === undefined) return [];
  if (v instanceof GoSlice && v.items.every((x) => typeof x === 'string')) return v.items;
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v;
  return fail(`wrong type for value; expected []string; got ${describe(v)}`);
}

/** The Go type of an argument, for error messages (`%T`). */
export function describe(v: GoValue | undefined): string {
  return v === undefined ? '<nil>' : typeOf(v);
}

/** Go `int` arguments used as JS indices/counts. */
export function toIndex(v: bigint): number {
  return Number(BigInt.asIntN(64, v));
}

export function stringSlice(items: string[]): GoSlice {
  return new GoSlice('string', items);
}
