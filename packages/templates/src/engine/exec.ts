// The text/template executor, ported from Go 1.19's text/template/exec.go.
import { TemplateFuncError, type FunctionMap, type GoFunction } from '../functions/signature.js';
import { GoMapOf, GoSlice, GoTyped, isGoMap, sortedKeys, type GoValue } from '../value.js';
import type {
  AnyNode,
  ArgNode,
  BoolNode,
  ChainNode,
  CommandNode,
  FieldNode,
  IdentifierNode,
  IfNode,
  Node,
  NumberNode,
  PipeNode,
  RangeNode,
  StringNode,
  TemplateNode,
  Tree,
  VariableNode,
  WithNode,
} from './ast.js';
import { nodeString } from './ast.js';
import { BuiltinError, builtins, type Builtin, type EngineParamType } from './builtins.js';
import { formatGoValue, goTypeName } from './fmt.js';
import { GoComplex } from './complex.js';
import { byteColumn } from './parser.js';
import { indirectInterface, INVALID, Iface, isTrue, rTypeName, toGo, type RValue } from './reflect.js';

/** Go's maximum nesting of {{template}} calls. */
export const MAX_EXEC_DEPTH = 100000;

export type MissingKey = 'default' | 'error' | 'zero';

export interface ExecLimits {
  maxOutputBytes: number;
  /** Absolute time (Date.now()) after which execution stops. */
  deadline: number;
  timeoutMs: number;
}

/** An execution failure with Go's message. `limit` is set when a resource limit stopped the template. */
export class ExecFailure extends Error {
  override readonly name = 'ExecFailure';
  constructor(
    message: string,
    readonly limit?: 'maxOutputBytes' | 'timeoutMs',
  ) {
    super(message);
  }
}

const MISSING: unique symbol = Symbol('missing');
type Final = RValue | typeof MISSING;

class BreakSignal extends Error {}
class ContinueSignal extends Error {}
const walkBreak = new BreakSignal();
const walkContinue = new ContinueSignal();

/**
 * Go stops at 100000 nested {{template}} calls; JavaScript's stack ends sooner. When it does, the innermost
 * {{template}} call records itself here (with as little stack as possible) and the error is built at the top.
 */
class DepthExceeded extends Error {
  constructor(
    readonly tmplName: string,
    readonly node: TemplateNode,
  ) {
    super('exceeded maximum template depth');
  }
}

interface Variable {
  name: string;
  value: RValue;
}

/** A callable: a builtin (reflect.Value-level) or a template function with a declared Go signature. */
type Callable = { kind: 'builtin'; def: Builtin } | { kind: 'func'; def: GoFunction };

export interface ExecContext {
  parseName: string;
  text: string;
  trees: ReadonlyMap<string, Tree>;
  functions: FunctionMap;
  missingKey: MissingKey;
  limits: ExecLimits;
}

class Output {
  private readonly parts: string[] = [];
  private bytes = 0;
  constructor(private readonly limit: number) {}
  write(s: string): void {
    if (s.length === 0) return;
    this.bytes += Buffer.byteLength(s, 'utf8');
    if (this.bytes > this.limit) {
      throw new ExecFailure(`template: output exceeds the limit of ${this.limit} bytes (maxOutputBytes)`, 'maxOutputBytes');
    }
    this.parts.push(s);
  }
  toString(): string {
    return this.parts.join('');
  }
}

function goTypeOfParam(t: EngineParamType): string {
  switch (t) {
    case 'value':
      return 'reflect.Value';
    case 'any':
      return 'interface {}';
    case 'list':
      return '[]interface {}';
    case 'map':
      return 'map[string]interface {}';
    case 'stringList':
      return '[]string';
    case 'string':
    case 'int':
    case 'float64':
    case 'bool':
      return t;
  }
}

function canBeNil(t: EngineParamType): boolean {
  return t === 'value' || t === 'any' || t === 'list' || t === 'map' || t === 'stringList';
}

function zeroOf(t: EngineParamType): RValue {
  return t === 'value' ? INVALID : null;
}

function assignable(v: GoValue, t: EngineParamType): boolean {
  switch (t) {
    case 'string':
      return typeof v === 'string';
    case 'int':
      return typeof v === 'bigint';
    case 'float64':
      return typeof v === 'number';
    case 'bool':
      return typeof v === 'boolean';
    case 'list':
      return Array.isArray(v) || v instanceof GoSlice;
    case 'map':
      return isGoMap(v);
    case 'stringList':
      return v instanceof GoSlice && v.elemType === 'string';
    case 'any':
    case 'value':
      return true;
  }
}

function isHexInt(s: string): boolean {
  return s.length > 2 && s[0] === '0' && (s[1] === 'x' || s[1] === 'X') && !/[pP]/.test(s);
}

class State {
  node: AnyNode | null = null;
  private vars: Variable[];

  constructor(
    private readonly ctx: ExecContext,
    private readonly tmplName: string,
    private readonly out: Output,
    private readonly depth: number,
    dot: RValue,
  ) {
    this.vars = [{ name: '$', value: dot }];
  }

  // -- variables --
  push(name: string, value: RValue): void {
    this.vars.push({ name, value });
  }
  mark(): number {
    return this.vars.length;
  }
  pop(mark: number): void {
    this.vars.length = mark;
  }
  setVar(name: string, value: RValue): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i];
      if (v !== undefined && v.name === name) {
        v.value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }
  setTopVar(n: number, value: RValue): void {
    const v = this.vars[this.vars.length - n];
    if (v !== undefined) v.value = value;
  }
  varValue(name: string): RValue {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i];
      if (v !== undefined && v.name === name) return v.value;
    }
    return this.errorf(`undefined variable: ${name}`);
  }

  // -- errors and limits --
  at(node: AnyNode): void {
    this.node = node;
  }
  errorf(msg: string): never {
    if (this.node === null) throw new ExecFailure(`template: ${this.tmplName}: ${msg}`);
    const { line, column } = byteColumn(this.ctx.text, this.node.pos);
    const location = `${this.ctx.parseName}:${line}:${column}`;
    throw new ExecFailure(`template: ${location}: executing ${JSON.stringify(this.tmplName)} at <${nodeString(this.node)}>: ${msg}`);
  }
  checkTime(): void {
    if (Date.now() > this.ctx.limits.deadline) {
      throw new ExecFailure(`template: execution took longer than the limit of ${this.ctx.limits.timeoutMs} ms (timeoutMs)`, 'timeoutMs');
    }
  }

  // -- walking --
  walk(dot: RValue, node: Node): void {
    this.at(node);
    switch (node.type) {
      case 'action': {
        const val = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return;
      }
      case 'break':
        throw walkBreak;
      case 'comment':
        return;
      case 'continue':
        throw walkContinue;
      case 'if':
      case 'with':
        this.walkIfOrWith(node, dot);
        return;
      case 'list':
        for (const n of node.nodes) this.walk(dot, n);
        return;
      case 'range':
        this.walkRange(dot, node);
        return;
      case 'template':
        this.walkTemplate(dot, node);
        return;
      case 'text':
        this.out.write(node.text);
        return;
    }
  }

  walkIfOrWith(node: IfNode | WithNode, dot: RValue): void {
    const mark = this.mark();
    try {
      const val = this.evalPipeline(dot, node.pipe);
      if (isTrue(val)) {
        this.walk(node.type === 'with' ? val : dot, node.list);
      } else if (node.elseList !== null) {
        this.walk(dot, node.elseList);
      }
    } finally {
      this.pop(mark);
    }
  }

  walkRange(dot: RValue, r: RangeNode): void {
    this.at(r);
    const mark0 = this.mark();
    try {
      const val = indirectInterface(this.evalPipeline(dot, r.pipe));
      const mark = this.mark();
      const oneIteration = (index: RValue, elem: RValue): void => {
        this.checkTime();
        if (r.pipe.decl.length > 0) this.setTopVar(1, elem);
        if (r.pipe.decl.length > 1) this.setTopVar(2, index);
        try {
          this.walk(elem, r.list);
        } catch (e) {
          if (e !== walkContinue) throw e;
        } finally {
          this.pop(mark);
        }
      };
      let ranOnce = false;
      if (Array.isArray(val) || val instanceof GoSlice) {
        const items = Array.isArray(val) ? val : val.items;
        const iface = Array.isArray(val) || val.elemType === 'interface {}';
        for (let i = 0; i < items.length; i++) {
          const it = items[i] ?? null;
          oneIteration(BigInt(i), iface ? new Iface(it) : it);
          ranOnce = true;
        }
      } else if (val !== INVALID && (isGoMap(val) || val instanceof GoMapOf)) {
        const entries: Readonly<Record<string, GoValue>> = val instanceof GoMapOf ? val.entries : val;
        const iface = !(val instanceof GoMapOf) || val.elemType === 'interface {}';
        for (const k of sortedKeys(entries)) {
          const it = entries[k] ?? null;
          oneIteration(k, iface ? new Iface(it) : it);
          ranOnce = true;
        }
      } else if (val !== INVALID) {
        this.errorf(`range can't iterate over ${formatGoValue(val)}`);
      }
      if (!ranOnce && r.elseList !== null) this.walk(dot, r.elseList);
    } catch (e) {
      if (e !== walkBreak) throw e;
    } finally {
      this.pop(mark0);
    }
  }

  walkTemplate(dot: RValue, t: TemplateNode): void {
    this.at(t);
    const tree = this.ctx.trees.get(t.name);
    if (tree === undefined) this.errorf(`template ${JSON.stringify(t.name)} not defined`);
    if (this.depth === MAX_EXEC_DEPTH) this.errorf(`exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
    this.checkTime();
    const newDot = this.evalPipeline(dot, t.pipe);
    const ns = new State(this.ctx, t.name, this.out, this.depth + 1, newDot);
    try {
      ns.walk(newDot, tree.root);
    } catch (e) {
      if (e instanceof RangeError) throw new DepthExceeded(this.tmplName, t);
      throw e;
    }
  }

  /** The error for a DepthExceeded, built once the stack has unwound. */
  depthError(e: DepthExceeded): ExecFailure {
    try {
      new State(this.ctx, e.tmplName, this.out, 0, INVALID).atErr(e.node, `exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
    } catch (f) {
      if (f instanceof ExecFailure) return f;
    }
    return new ExecFailure(`template: ${e.tmplName}: exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
  }

  atErr(node: AnyNode, msg: string): never {
    this.at(node);
    return this.errorf(msg);
  }

  // -- evaluation --
  evalPipeline(dot: RValue, pipe: PipeNode | null): RValue {
    if (pipe === null) return INVALID;
    this.at(pipe);
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value);
      if (value instanceof Iface || value === null) value = indirectInterface(value);
    }
    const result: RValue = value === MISSING ? INVALID : value;
    for (const v of pipe.decl) {
      const name = v.ident[0] ?? '';
      if (pipe.isAssign) this.setVar(name, result);
      else this.push(name, result);
    }
    return result;
  }

  notAFunction(args: readonly ArgNode[] | null, final: Final): void {
    if ((args !== null && args.length > 1) || final !== MISSING) {
      this.errorf(`can't give argument to non-function ${args?.[0] ? nodeString(args[0]) : ''}`);
    }
  }

  evalCommand(dot: RValue, cmd: CommandNode, final: Final): RValue {
    const first = cmd.args[0];
    if (first === undefined) return this.errorf('empty command');
    if (first.type === 'field') return this.evalFieldNode(dot, first, cmd.args, final);
    if (first.type === 'chain') return this.evalChainNode(dot, first, cmd.args, final);
    if (first.type === 'identifier') return this.evalFunction(dot, first, cmd, cmd.args, final);
    if (first.type === 'variable') return this.evalVariableNode(dot, first, cmd.args, final);
    if (first.type === 'pipe') {
      this.notAFunction(cmd.args, final);
      return this.evalPipeline(dot, first);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case 'bool':
        return first.value;
      case 'dot':
        return dot;
      case 'nil':
        return this.errorf('nil is not a command');
      case 'number':
        return this.idealConstant(first);
      case 'string':
        return first.text;
    }
  }

  idealConstant(c: NumberNode): RValue {
    this.at(c);
    if (c.isComplex) return new GoComplex(c.re, c.im);
    if (c.isFloat && !isHexInt(c.text) && c.text[0] !== "'" && /[.eEpP]/.test(c.text)) return c.float64;
    if (c.isInt) return c.int64;
    if (c.isUint) return this.errorf(`${c.text} overflows int`);
    return INVALID;
  }

  evalFieldNode(dot: RValue, field: FieldNode, args: readonly ArgNode[] | null, final: Final): RValue {
    this.at(field);
    return this.evalFieldChain(dot, dot, field, field.ident, args, final);
  }

  evalChainNode(dot: RValue, chain: ChainNode, args: readonly ArgNode[] | null, final: Final): RValue {
    this.at(chain);
    if (chain.field.length === 0) this.errorf('internal error: no fields in evalChainNode');
    if (chain.node.type === 'nil') this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const pipe = this.evalArg(dot, null, chain.node);
    return this.evalFieldChain(dot, pipe, chain, chain.field, args, final);
  }

  evalVariableNode(dot: RValue, v: VariableNode, args: readonly ArgNode[] | null, final: Final): RValue {
    this.at(v);
    const value = this.varValue(v.ident[0] ?? '');
    if (v.ident.length === 1) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(dot, value, v, v.ident.slice(1), args, final);
  }

  evalFieldChain(dot: RValue, receiverIn: RValue, node: AnyNode, ident: readonly string[], args: readonly ArgNode[] | null, final: Final): RValue {
    let receiver = receiverIn;
    const n = ident.length;
    for (let i = 0; i < n - 1; i++) receiver = this.evalField(dot, ident[i] ?? '', node, null, MISSING, receiver);
    return this.evalField(dot, ident[n - 1] ?? '', node, args, final, receiver);
  }

  evalFunction(dot: RValue, node: IdentifierNode, cmd: AnyNode, args: readonly ArgNode[] | null, final: Final): RValue {
    this.at(node);
    const name = node.ident;
    const userFn = Object.hasOwn(this.ctx.functions, name) ? this.ctx.functions[name] : undefined;
    if (userFn !== undefined) return this.evalCall(dot, { kind: 'func', def: userFn }, false, cmd, name, args, final);
    const b = builtins.get(name);
    if (b === undefined) return this.errorf(`${JSON.stringify(name)} is not a defined function`);
    return this.evalCall(dot, { kind: 'builtin', def: b }, true, cmd, name, args, final);
  }

  evalField(dot: RValue, fieldName: string, node: AnyNode, args: readonly ArgNode[] | null, final: Final, receiverIn: RValue): RValue {
    if (receiverIn === INVALID) {
      if (this.ctx.missingKey === 'error') this.errorf(`nil data; no entry for key ${JSON.stringify(fieldName)}`);
      return INVALID;
    }
    const typ = rTypeName(receiverIn);
    const receiver = indirectInterface(receiverIn);
    if (receiver === INVALID) return this.errorf(`nil pointer evaluating ${typ}.${fieldName}`);
    if (receiver instanceof GoTyped) {
      const method = receiver.method(fieldName);
      if (method !== undefined) {
        return this.evalCall(dot, { kind: 'func', def: method }, false, node, fieldName, args, final);
      }
    }
    const hasArgs = (args !== null && args.length > 1) || final !== MISSING;
    if (isGoMap(receiver) || receiver instanceof GoMapOf) {
      if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`);
      const entries: Readonly<Record<string, GoValue>> = receiver instanceof GoMapOf ? receiver.entries : receiver;
      const iface = !(receiver instanceof GoMapOf) || receiver.elemType === 'interface {}';
      if (Object.hasOwn(entries, fieldName)) {
        const v = entries[fieldName] ?? null;
        return iface ? new Iface(v) : v;
      }
      switch (this.ctx.missingKey) {
        case 'error':
          return this.errorf(`map has no entry for key ${JSON.stringify(fieldName)}`);
        case 'zero':
          return receiver instanceof GoMapOf ? receiver.zero : new Iface(null);
        case 'default':
          return INVALID;
      }
    }
    return this.errorf(`can't evaluate field ${fieldName} in type ${typ}`);
  }

  evalCall(dot: RValue, fun: Callable, isBuiltin: boolean, node: AnyNode, name: string, argsIn: readonly ArgNode[] | null, final: Final): RValue {
    const args = argsIn === null ? [] : argsIn.slice(1);
    const params: readonly EngineParamType[] = fun.def.params;
    const variadic: EngineParamType | undefined = fun.def.variadic;
    const numIn = args.length + (final !== MISSING ? 1 : 0);
    let numFixed = args.length;
    if (variadic !== undefined) {
      numFixed = params.length;
      if (numIn < numFixed) {
        this.errorf(`wrong number of args for ${name}: want at least ${params.length} got ${args.length}`);
      }
    } else if (numIn !== params.length) {
      this.errorf(`wrong number of args for ${name}: want ${params.length} got ${numIn}`);
    }

    if (isBuiltin && (name === 'and' || name === 'or')) {
      let v: RValue = INVALID;
      for (const arg of args) {
        v = this.evalArg(dot, 'value', arg);
        if (isTrue(v) === (name === 'or')) return v;
      }
      if (final !== MISSING) v = this.validateType(final, 'value');
      return v;
    }

    const argv: RValue[] = [];
    let i = 0;
    for (; i < numFixed && i < args.length; i++) argv.push(this.evalArg(dot, params[i] ?? 'any', args[i] as ArgNode));
    if (variadic !== undefined) for (; i < args.length; i++) argv.push(this.evalArg(dot, variadic, args[i] as ArgNode));
    if (final !== MISSING) {
      let t: EngineParamType = params[params.length - 1] ?? 'any';
      if (variadic !== undefined) t = numIn - 1 < numFixed ? (params[numIn - 1] ?? 'any') : variadic;
      argv.push(this.validateType(final, t));
    }
    let result: RValue;
    try {
      if (fun.kind === 'builtin') {
        result = fun.def.fn(...argv);
      } else {
        const r = fun.def.fn(...argv.map(toGo));
        result = r === null || r === undefined ? new Iface(null) : r;
      }
    } catch (e) {
      if (e instanceof ExecFailure) throw e;
      if (e instanceof RangeError && /string length|array length/i.test(e.message)) this.sizeExceeded(node);
      this.at(node);
      const msg = e instanceof TemplateFuncError || e instanceof BuiltinError || e instanceof Error ? e.message : String(e);
      return this.errorf(`error calling ${name}: ${msg}`);
    }
    this.checkSize(node, result);
    return result;
  }

  /**
   * A value bigger than the output limit could only be printed by failing; stop now, before a template that
   * doubles a string or a list in a loop exhausts memory.
   */
  private checkSize(node: AnyNode, v: RValue): void {
    const limit = this.ctx.limits.maxOutputBytes;
    const c = v instanceof Iface ? v.v : v;
    if ((typeof c === 'string' || Array.isArray(c)) && c.length > limit) this.sizeExceeded(node);
    if (c instanceof GoSlice && c.items.length > limit) this.sizeExceeded(node);
  }

  private sizeExceeded(node: AnyNode): never {
    this.at(node);
    const msg = `value exceeds the output limit of ${this.ctx.limits.maxOutputBytes} bytes (maxOutputBytes)`;
    const { line, column } = byteColumn(this.ctx.text, node.pos);
    throw new ExecFailure(
      `template: ${this.ctx.parseName}:${line}:${column}: executing ${JSON.stringify(this.tmplName)} at <${nodeString(node)}>: ${msg}`,
      'maxOutputBytes',
    );
  }

  validateType(value: RValue, typ: EngineParamType | null): RValue {
    if (value === INVALID) {
      if (typ === null) return INVALID;
      if (canBeNil(typ)) return zeroOf(typ);
      return this.errorf(`invalid value; expected ${goTypeOfParam(typ)}`);
    }
    if (typ === null || typ === 'value') return value;
    if (typ === 'any') return toGo(value);
    let v: GoValue;
    if (value instanceof Iface || value === null) {
      const inner = value instanceof Iface ? value.v : null;
      if (inner === null) return this.errorf(`wrong type for value; expected ${goTypeOfParam(typ)}; got interface {}`);
      v = inner;
    } else {
      v = value;
    }
    if (!assignable(v, typ)) this.errorf(`wrong type for value; expected ${goTypeOfParam(typ)}; got ${goTypeName(v)}`);
    return v;
  }

  evalArg(dot: RValue, typ: EngineParamType | null, n: ArgNode): RValue {
    this.at(n);
    if (n.type === 'dot') return this.validateType(dot, typ);
    if (n.type === 'nil') {
      if (typ !== null && canBeNil(typ)) return zeroOf(typ);
      return this.errorf(`cannot assign nil to ${typ === null ? '<nil>' : goTypeOfParam(typ)}`);
    }
    if (n.type === 'field') return this.validateType(this.evalFieldNode(dot, n, [n], MISSING), typ);
    if (n.type === 'variable') return this.validateType(this.evalVariableNode(dot, n, null, MISSING), typ);
    if (n.type === 'pipe') return this.validateType(this.evalPipeline(dot, n), typ);
    if (n.type === 'identifier') return this.validateType(this.evalFunction(dot, n, n, null, MISSING), typ);
    if (n.type === 'chain') return this.validateType(this.evalChainNode(dot, n, null, MISSING), typ);
    switch (typ) {
      case 'bool':
        if (n.type === 'bool') return n.value;
        return this.errorf(`expected bool; found ${nodeString(n)}`);
      case 'float64':
        if (n.type === 'number' && n.isFloat) return n.float64;
        return this.errorf(`expected float; found ${nodeString(n)}`);
      case 'int':
        if (n.type === 'number' && n.isInt) return n.int64;
        return this.errorf(`expected integer; found ${nodeString(n)}`);
      case 'string':
        if (n.type === 'string') return n.text;
        return this.errorf(`expected string; found ${nodeString(n)}`);
      case 'any':
      case 'value':
        return this.evalEmptyInterface(n);
      case 'list':
      case 'map':
      case 'stringList':
      case null:
        return this.errorf(`can't handle ${nodeString(n)} for arg of type ${typ === null ? '<nil>' : goTypeOfParam(typ)}`);
    }
  }

  /** A constant given to an interface{} (or reflect.Value) parameter. */
  evalEmptyInterface(n: BoolNode | NumberNode | StringNode): RValue {
    this.at(n);
    switch (n.type) {
      case 'bool':
        return n.value;
      case 'number':
        return this.idealConstant(n);
      case 'string':
        return n.text;
    }
  }

  printValue(n: AnyNode, v: RValue): void {
    this.at(n);
    const c = indirectInterface(v);
    if (typeof c === 'string') this.out.write(c);
    else this.out.write(c === INVALID ? '<no value>' : formatGoValue(c));
  }
}

/** Execute the tree named `name`; returns the output or throws ExecFailure. */
export function executeTree(ctx: ExecContext, name: string, data: GoValue): string {
  const tree = ctx.trees.get(name);
  const out = new Output(ctx.limits.maxOutputBytes);
  const dot: RValue = data === null ? INVALID : data;
  const state = new State(ctx, name, out, 0, dot);
  if (tree === undefined) throw new ExecFailure(`template: ${name}: ${JSON.stringify(name)} is an incomplete or empty template`);
  try {
    state.walk(dot, tree.root);
  } catch (e) {
    if (e instanceof ExecFailure) throw e;
    if (e instanceof DepthExceeded) throw state.depthError(e);
    if (e instanceof RangeError) throw new ExecFailure(`template: ${name}: exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
    if (e === walkBreak || e === walkContinue) throw new ExecFailure(`template: ${name}: break/continue outside range`);
    throw e;
  }
  return out.toString();
}
