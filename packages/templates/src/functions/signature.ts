// How a template function declares its Go signature, so the engine can check and convert arguments exactly as
// Go's text/template does through reflection (argument count, assignability, untyped constants: the constant
// `2.0` is accepted where an int is wanted, `2` where a float64 is wanted; a float64 *value* is refused for int).
import type { GoValue } from '../value.js';

/**
 * Parameter types, named after Go types:
 * - 'any'      interface{}: anything, nil included
 * - 'string'   string (a nil or non-string is a type error)
 * - 'int'      int / int64: bigint; an integral untyped numeric constant converts
 * - 'float64'  float64: number; any untyped numeric constant converts
 * - 'bool'     bool
 * - 'list'     []interface{} (JS Array or a GoSlice; nil is accepted and arrives as null)
 * - 'map'      map[string]interface{} (nil accepted, arrives as null)
 * - 'stringList' []string
 */
export type GoParamType = 'any' | 'string' | 'int' | 'float64' | 'bool' | 'list' | 'map' | 'stringList';

export interface GoFunction {
  /** Fixed parameters in order. */
  params: GoParamType[];
  /** Type of the variadic tail (Go `...T`), if any. */
  variadic?: GoParamType;
  /**
   * The implementation. Receives arguments already checked/converted to the declared types.
   * Return the result (Go's single result). To fail like a Go function returning a non-nil error, throw
   * `new TemplateFuncError(message)`; the engine reports it as `error calling <name>: <message>`.
   */
  fn: (...args: GoValue[]) => GoValue;
}

export type FunctionMap = Readonly<Record<string, GoFunction>>;

/** A Go function's returned error (or a panic): the engine wraps it as `error calling <name>: <message>`. */
export class TemplateFuncError extends Error {
  override readonly name = 'TemplateFuncError';
}
