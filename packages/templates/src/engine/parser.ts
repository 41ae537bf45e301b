// The text/template parser, ported from Go 1.19's text/template/parse/parse.go. One call parses the top-level
// template and every `define`/`block` in it into a set of named trees.
import type { ArgNode, BranchNode, CommandNode, ElseNode, EndNode, ListNode, Node, NumberNode, PipeNode, Tree, VariableNode } from './ast.js';
import { nodeString } from './ast.js';
import { describeItem, ItemType, lex, type Item } from './lexer.js';
import { underscoreOK, unquote, unquoteCharLiteral } from './strconv.js';

/** A parse failure, with Go's message (`template: <name>:<line>: ...`) and the 1-based line/column. */
export class ParseFailure extends Error {
  override readonly name = 'ParseFailure';
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

class Stream {
  idx = 0;
  constructor(readonly items: Item[]) {}
  nextItem(): Item {
    const it = this.items[this.idx];
    if (it === undefined) {
      // never reached: the list ends with EOF or an error, and the parser stops at either
      const last = this.items[this.items.length - 1];
      return { typ: ItemType.EOF, pos: last?.pos ?? 0, val: '', line: last?.line ?? 1 };
    }
    if (this.idx < this.items.length - 1) this.idx++;
    return it;
  }
}

interface Shared {
  parseName: string;
  text: string;
  stream: Stream;
  treeSet: Map<string, Tree>;
  hasFunction: (name: string) => boolean;
  column: (pos: number) => number;
}

type ListOrMarker = Node | EndNode | ElseNode;

/** Tokens that start an operand of a pipeline command. */
const operandStart: ReadonlySet<ItemType> = new Set([
  ItemType.Bool,
  ItemType.CharConstant,
  ItemType.Complex,
  ItemType.Dot,
  ItemType.Field,
  ItemType.Identifier,
  ItemType.Number,
  ItemType.Nil,
  ItemType.RawString,
  ItemType.String,
  ItemType.Variable,
  ItemType.LeftParen,
]);

/** Only Go unicode.IsSpace characters (what bytes.TrimSpace removes). */
const goSpaceOnly = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/;

function isEmptyTree(n: ListOrMarker | null): boolean {
  if (n === null || n.type === 'comment') return true;
  if (n.type === 'list') return n.nodes.every(isEmptyTree);
  if (n.type === 'text') return goSpaceOnly.test(n.text);
  return false;
}

// ---- numbers ---------------------------------------------------------------------------------------------

const MAX_UINT64 = (1n << 64n) - 1n;
const MAX_INT64 = (1n << 63n) - 1n;
const MIN_INT64 = -(1n << 63n);

/** strconv.ParseUint(s, 0, 64); null on any error. */
function parseUint(s: string): bigint | null {
  if (s === '') return null;
  let base = 10;
  let body = s;
  if (s[0] === '0') {
    if (s.length >= 3 && (s[1] === 'x' || s[1] === 'X')) {
      base = 16;
      body = s.slice(2);
    } else if (s.length >= 3 && (s[1] === 'b' || s[1] === 'B')) {
      base = 2;
      body = s.slice(2);
    } else if (s.length >= 3 && (s[1] === 'o' || s[1] === 'O')) {
      base = 8;
      body = s.slice(2);
    } else {
      base = 8;
      body = s.slice(1);
    }
  }
  if (body.includes('_')) {
    if (!underscoreOK(s)) return null;
    body = body.replaceAll('_', '');
  }
  if (body === '' && base === 8 && s === '0') return 0n;
  if (body === '') return null;
  const digits = '0123456789abcdef'.slice(0, base);
  let v = 0n;
  const b = BigInt(base);
  for (const ch of body.toLowerCase()) {
    const d = digits.indexOf(ch);
    if (d < 0) return null;
    v = v * b + BigInt(d);
  }
  if (v > MAX_UINT64) return null;
  return v;
}

/** strconv.ParseInt(s, 0, 64); null on any error. */
function parseInt64(s: string): bigint | null {
  let neg = false;
  let body = s;
  if (s[0] === '+' || s[0] === '-') {
    neg = s[0] === '-';
    body = s.slice(1);
  }
  const u = parseUint(body);
  if (u === null) return null;
  const v = neg ? -u : u;
  if (v > MAX_INT64 || v < MIN_INT64) return null;
  return v;
}

/** strconv.ParseFloat(s, 64); null on any error (including out of range). */
function parseFloat64(s: string): number | null {
  let body = s;
  let sign = 1;
  if (body[0] === '+' || body[0] === '-') {
    sign = body[0] === '-' ? -1 : 1;
    body = body.slice(1);
  }
  if (body.includes('_')) {
    if (!underscoreOK(s)) return null;
    body = body.replaceAll('_', '');
  }
  let v: number;
  if (/^0[xX]/.test(body)) {
    const m = /^0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?[0-9]+)$/.exec(body);
    if (m === null) return null;
    const intPart = m[1] ?? '';
    const frac = m[2] ?? '';
    if (intPart === '' && frac === '') return null;
    const mant = BigInt(`0x${intPart || '0'}${frac}`);
    const exp = Number(m[3]) - 4 * frac.length;
    v = Number(mant) * 2 ** exp;
  } else {
    if (!/^(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(body)) return null;
    v = Number(body);
  }
  if (!Number.isFinite(v)) return null;
  return sign * v;
}

// ---- the parser ------------------------------------------------------------------------------------------

class TreeParser {
  name: string;
  root: ListNode | null = null;
  private readonly token: Item[] = [];
  private peekCount = 0;
  private vars: string[] = ['$'];
  private rangeDepth = 0;

  constructor(
    name: string,
    private readonly sh: Shared,
  ) {
    this.name = name;
  }

  // -- token handling --
  next(): Item {
    if (this.peekCount > 0) this.peekCount--;
    else this.token[0] = this.sh.stream.nextItem();
    return this.tok(this.peekCount);
  }
  private tok(i: number): Item {
    const t = this.token[i];
    if (t === undefined) throw new Error('parser: no token');
    return t;
  }
  backup(): void {
    this.peekCount++;
  }
  backup2(t1: Item): void {
    this.token[1] = t1;
    this.peekCount = 2;
  }
  backup3(t2: Item, t1: Item): void {
    this.token[1] = t1;
    this.token[2] = t2;
    this.peekCount = 3;
  }
  peek(): Item {
    if (this.peekCount > 0) return this.tok(this.peekCount - 1);
    this.peekCount = 1;
    this.token[0] = this.sh.stream.nextItem();
    return this.tok(0);
  }
  nextNonSpace(): Item {
    for (;;) {
      const token = this.next();
      if (token.typ !== ItemType.Space) return token;
    }
  }
  peekNonSpace(): Item {
    const token = this.nextNonSpace();
    this.backup();
    return token;
  }

  // -- errors --
  errorf(msg: string): never {
    const t0 = this.token[0];
    const line = t0?.line ?? 1;
    throw new ParseFailure(`template: ${this.sh.parseName}:${line}: ${msg}`, line, this.sh.column(t0?.pos ?? 0));
  }
  expect(expected: ItemType, context: string): Item {
    const token = this.nextNonSpace();
    if (token.typ !== expected) this.unexpected(token, context);
    return token;
  }
  expectOneOf(e1: ItemType, e2: ItemType, context: string): Item {
    const token = this.nextNonSpace();
    if (token.typ !== e1 && token.typ !== e2) this.unexpected(token, context);
    return token;
  }
  private actionLine = 0;
  unexpected(token: Item, context: string): never {
    if (token.typ === ItemType.Error) {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== token.line) {
        extra = ` in action started at ${this.sh.parseName}:${this.actionLine}`;
        if (token.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.errorf(`${token.val}${extra}`);
    }
    this.errorf(`unexpected ${describeItem(token)} in ${context}`);
  }

  // -- structure --
  add(): void {
    const tree = this.sh.treeSet.get(this.name);
    const root = this.root ?? { type: 'list' as const, pos: 0, nodes: [] };
    if (tree === undefined || isEmptyTree(tree.root)) {
      this.sh.treeSet.set(this.name, { name: this.name, root });
      return;
    }
    if (!isEmptyTree(root)) this.errorf(`template: multiple definition of template ${JSON.stringify(this.name)}`);
  }

  parse(): void {
    const root: ListNode = { type: 'list', pos: this.peek().pos, nodes: [] };
    this.root = root;
    while (this.peek().typ !== ItemType.EOF) {
      if (this.peek().typ === ItemType.LeftDelim) {
        const delim = this.next();
        if (this.nextNonSpace().typ === ItemType.Define) {
          const newT = new TreeParser('definition', this.sh);
          newT.parseDefinition();
          continue;
        }
        this.backup2(delim);
      }
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') this.errorf(`unexpected ${nodeString(n)}`);
      root.nodes.push(n);
    }
  }

  parseDefinition(): void {
    const context = 'define clause';
    const name = this.expectOneOf(ItemType.String, ItemType.RawString, context);
    this.name = this.unquoteOrFail(name.val);
    this.expect(ItemType.RightDelim, context);
    const [list, end] = this.itemList();
    this.root = list;
    if (end.type !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    this.add();
  }

  private unquoteOrFail(lit: string): string {
    try {
      return unquote(lit);
    } catch (e) {
      return this.errorf(e instanceof Error ? e.message : String(e));
    }
  }

  itemList(): [ListNode, EndNode | ElseNode] {
    const list: ListNode = { type: 'list', pos: this.peekNonSpace().pos, nodes: [] };
    while (this.peekNonSpace().typ !== ItemType.EOF) {
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') return [list, n];
      list.nodes.push(n);
    }
    this.errorf('unexpected EOF');
  }

  textOrAction(): ListOrMarker {
    const token = this.nextNonSpace();
    if (token.typ === ItemType.Text) return { type: 'text', pos: token.pos, text: token.val };
    if (token.typ === ItemType.Comment) return { type: 'comment', pos: token.pos, text: token.val };
    if (token.typ !== ItemType.LeftDelim) this.unexpected(token, 'input');
    this.actionLine = token.line;
    try {
      return this.action();
    } finally {
      this.actionLine = 0;
    }
  }

  action(): ListOrMarker {
    const token = this.nextNonSpace();
    const control = this.control(token);
    if (control !== null) return control;
    this.backup();
    const t = this.peek();
    return { type: 'action', pos: t.pos, pipe: this.pipeline('command', ItemType.RightDelim) };
  }

  private control(token: Item): ListOrMarker | null {
    if (token.typ === ItemType.Block) return this.blockControl();
    if (token.typ === ItemType.Break) return this.breakControl(token.pos, 'break');
    if (token.typ === ItemType.Continue) return this.breakControl(token.pos, 'continue');
    if (token.typ === ItemType.Else) return this.elseControl();
    if (token.typ === ItemType.End) return this.endControl();
    if (token.typ === ItemType.If) return { type: 'if', ...this.parseControl(true, 'if') };
    if (token.typ === ItemType.Range) return { type: 'range', ...this.parseControl(false, 'range') };
    if (token.typ === ItemType.Template) return this.templateControl();
    if (token.typ === ItemType.With) return { type: 'with', ...this.parseControl(false, 'with') };
    return null;
  }

  breakControl(pos: number, kind: 'break' | 'continue'): ListOrMarker {
    const token = this.nextNonSpace();
    if (token.typ !== ItemType.RightDelim) this.unexpected(token, `{{${kind}}}`);
    if (this.rangeDepth === 0) this.errorf(`{{${kind}}} outside {{range}}`);
    return { type: kind, pos };
  }

  pipeline(context: string, end: ItemType): PipeNode {
    const token = this.peekNonSpace();
    const pipe: PipeNode = { type: 'pipe', pos: token.pos, isAssign: false, decl: [], cmds: [] };
    decls: for (;;) {
      const v = this.peekNonSpace();
      if (v.typ === ItemType.Variable) {
        this.next();
        const tokenAfterVariable = this.peek();
        const next = this.peekNonSpace();
        if (next.typ === ItemType.Assign || next.typ === ItemType.Declare) {
          pipe.isAssign = next.typ === ItemType.Assign;
          this.nextNonSpace();
          pipe.decl.push(newVariable(v.pos, v.val));
          this.vars.push(v.val);
        } else if (next.typ === ItemType.Char && next.val === ',') {
          this.nextNonSpace();
          pipe.decl.push(newVariable(v.pos, v.val));
          this.vars.push(v.val);
          if (context === 'range' && pipe.decl.length < 2) {
            const p = this.peekNonSpace().typ;
            if (p === ItemType.Variable || p === ItemType.RightDelim || p === ItemType.RightParen) continue decls;
            this.errorf('range can only initialize variables');
          }
          this.errorf(`too many declarations in ${context}`);
        } else if (tokenAfterVariable.typ === ItemType.Space) {
          this.backup3(v, tokenAfterVariable);
        } else {
          this.backup2(v);
        }
      }
      break;
    }
    for (;;) {
      const token = this.nextNonSpace();
      if (token.typ === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      if (!operandStart.has(token.typ)) this.unexpected(token, context);
      this.backup();
      pipe.cmds.push(this.command());
    }
  }

  checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, i) => {
      const t = c.args[0]?.type;
      if (t === 'bool' || t === 'dot' || t === 'nil' || t === 'number' || t === 'string') {
        this.errorf(`non executable command in pipeline stage ${i + 2}`);
      }
    });
  }

  parseControl(allowElseIf: boolean, context: string): BranchNode {
    const mark = this.vars.length;
    try {
      const pipe = this.pipeline(context, ItemType.RightDelim);
      if (context === 'range') this.rangeDepth++;
      const [list, first] = this.itemList();
      let next = first;
      if (context === 'range') this.rangeDepth--;
      let elseList: ListNode | null = null;
      if (next.type === 'else') {
        if (allowElseIf && this.peek().typ === ItemType.If) {
          this.next();
          elseList = { type: 'list', pos: next.pos, nodes: [{ type: 'if', ...this.parseControl(true, 'if') }] };
        } else {
          [elseList, next] = this.itemList();
          if (next.type !== 'end') this.errorf(`expected end; found ${nodeString(next)}`);
        }
      }
      return { pos: pipe.pos, pipe, list, elseList };
    } finally {
      this.vars.length = mark;
    }
  }

  endControl(): EndNode {
    return { type: 'end', pos: this.expect(ItemType.RightDelim, 'end').pos };
  }

  elseControl(): ElseNode {
    const peek = this.peekNonSpace();
    if (peek.typ === ItemType.If) return { type: 'else', pos: peek.pos };
    const token = this.expect(ItemType.RightDelim, 'else');
    return { type: 'else', pos: token.pos };
  }

  blockControl(): Node {
    const context = 'block clause';
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    const pipe = this.pipeline(context, ItemType.RightDelim);
    const block = new TreeParser(name, this.sh);
    const [list, end] = block.itemList();
    block.root = list;
    if (end.type !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    block.add();
    return { type: 'template', pos: token.pos, name, pipe };
  }

  templateControl(): Node {
    const context = 'template clause';
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    let pipe: PipeNode | null = null;
    if (this.nextNonSpace().typ !== ItemType.RightDelim) {
      this.backup();
      pipe = this.pipeline(context, ItemType.RightDelim);
    }
    return { type: 'template', pos: token.pos, name, pipe };
  }

  parseTemplateName(token: Item, context: string): string {
    if (token.typ === ItemType.String || token.typ === ItemType.RawString) return this.unquoteOrFail(token.val);
    this.unexpected(token, context);
  }

  command(): CommandNode {
    const cmd: CommandNode = { type: 'command', pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand !== null) cmd.args.push(operand);
      const token = this.next();
      if (token.typ === ItemType.Space) continue;
      if (token.typ === ItemType.RightDelim || token.typ === ItemType.RightParen) this.backup();
      else if (token.typ !== ItemType.Pipe) this.unexpected(token, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  operand(): ArgNode | null {
    const node = this.term();
    if (node === null) return null;
    if (this.peek().typ === ItemType.Field) {
      const pos = this.peek().pos;
      const fields: string[] = [];
      while (this.peek().typ === ItemType.Field) fields.push(this.next().val.slice(1));
      switch (node.type) {
        case 'field':
          return { type: 'field', pos, ident: [...node.ident, ...fields] };
        case 'variable':
          return { type: 'variable', pos, ident: [...node.ident, ...fields] };
        case 'bool':
        case 'string':
        case 'number':
        case 'nil':
        case 'dot':
          return this.errorf(`unexpected . after term ${JSON.stringify(nodeString(node))}`);
        case 'chain':
        case 'identifier':
        case 'pipe':
          return { type: 'chain', pos, node, field: fields };
      }
    }
    return node;
  }

  term(): ArgNode | null {
    const token = this.nextNonSpace();
    const { typ, pos, val } = token;
    if (typ === ItemType.Identifier) {
      if (!this.sh.hasFunction(val)) this.errorf(`function ${JSON.stringify(val)} not defined`);
      return { type: 'identifier', pos, ident: val };
    }
    if (typ === ItemType.Dot) return { type: 'dot', pos };
    if (typ === ItemType.Nil) return { type: 'nil', pos };
    if (typ === ItemType.Variable) return this.useVar(pos, val);
    if (typ === ItemType.Field) return { type: 'field', pos, ident: val.slice(1).split('.') };
    if (typ === ItemType.Bool) return { type: 'bool', pos, value: val === 'true' };
    if (typ === ItemType.CharConstant || typ === ItemType.Complex || typ === ItemType.Number) return this.newNumber(token);
    if (typ === ItemType.LeftParen) return this.pipeline('parenthesized pipeline', ItemType.RightParen);
    if (typ === ItemType.String || typ === ItemType.RawString) {
      return { type: 'string', pos, quoted: val, text: this.unquoteOrFail(val) };
    }
    this.backup();
    return null;
  }

  useVar(pos: number, name: string): VariableNode {
    const v = newVariable(pos, name);
    if (this.vars.includes(v.ident[0] ?? '')) return v;
    this.errorf(`undefined variable ${JSON.stringify(v.ident[0])}`);
  }

  newNumber(token: Item): NumberNode {
    const text = token.val;
    const n: NumberNode = {
      type: 'number',
      pos: token.pos,
      isInt: false,
      isUint: false,
      isFloat: false,
      isComplex: false,
      int64: 0n,
      uint64: 0n,
      float64: 0,
      re: 0,
      im: 0,
      text,
    };
    if (token.typ === ItemType.CharConstant) {
      let r: number;
      try {
        r = unquoteCharLiteral(text);
      } catch (e) {
        return this.errorf(e instanceof Error ? e.message : String(e));
      }
      n.int64 = BigInt(r);
      n.isInt = true;
      n.uint64 = BigInt(r);
      n.isUint = true;
      n.float64 = r;
      n.isFloat = true;
      return n;
    }
    if (token.typ === ItemType.Complex) {
      // a real+imaginary literal such as 1+2i: only kept when the imaginary part is zero
      const m = /^(.*[^eEpP])([+-].*)i$/.exec(text);
      const re = m ? parseFloat64(m[1] ?? '') : null;
      const im = m ? parseFloat64(m[2] ?? '') : null;
      if (re === null || im === null) this.errorf(`expected integer; found ${text}`);
      n.isComplex = true;
      simplifyComplex(n, re, im);
      return n;
    }
    if (text.endsWith('i')) {
      const f = parseFloat64(text.slice(0, -1));
      if (f !== null) {
        n.isComplex = true;
        simplifyComplex(n, 0, f);
        return n;
      }
    }
    const u = parseUint(text);
    if (u !== null) {
      n.isUint = true;
      n.uint64 = u;
    }
    const i = parseInt64(text);
    if (i !== null) {
      n.isInt = true;
      n.int64 = i;
      if (i === 0n) {
        n.isUint = true;
        n.uint64 = u ?? 0n;
      }
    }
    if (n.isInt) {
      n.isFloat = true;
      n.float64 = Number(n.int64);
    } else if (n.isUint) {
      n.isFloat = true;
      n.float64 = Number(n.uint64);
    } else {
      const f = parseFloat64(text);
      if (f !== null) {
        if (!/[.eEpP]/.test(text)) this.errorf(`integer overflow: ${JSON.stringify(text)}`);
        n.isFloat = true;
        n.float64 = f;
        if (Number.isInteger(f) && f >= -(2 ** 63) && f < 2 ** 63) {
          n.isInt = true;
          n.int64 = BigInt(f);
        }
        if (Number.isInteger(f) && f >= 0 && f < 2 ** 64) {
          n.isUint = true;
          n.uint64 = BigInt(f);
        }
      }
    }
    if (!n.isInt && !n.isUint && !n.isFloat) this.errorf(`illegal number syntax: ${JSON.stringify(text)}`);
    return n;
  }
}

function simplifyComplex(n: NumberNode, re: number, im: number): void {
  n.re = re;
  n.im = im;
  n.isFloat = im === 0;
  if (n.isFloat) {
    n.float64 = re;
    n.isInt = Number.isInteger(re) && re >= -(2 ** 63) && re < 2 ** 63;
    if (n.isInt) n.int64 = BigInt(re);
    n.isUint = Number.isInteger(re) && re >= 0 && re < 2 ** 64;
    if (n.isUint) n.uint64 = BigInt(re);
  }
}

function newVariable(pos: number, ident: string): VariableNode {
  return { type: 'variable', pos, ident: ident.split('.') };
}

/** Go's column for an error: bytes from the start of the line (or from the start of the text on line 1). */
export function byteColumn(text: string, pos: number): { line: number; column: number } {
  const before = text.slice(0, pos);
  const nl = before.lastIndexOf('\n');
  const line = 1 + (before.match(/\n/g)?.length ?? 0);
  const column = nl === -1 ? Buffer.byteLength(before, 'utf8') : Buffer.byteLength(before.slice(nl + 1), 'utf8');
  return { line, column };
}

/**
 * Parse a template text into its set of named trees (the top-level one under `name`).
 * `hasFunction` says whether an identifier names a function (builtins included).
 */
export function parseTrees(name: string, text: string, hasFunction: (n: string) => boolean): Map<string, Tree> {
  const { items } = lex(text, true, true);
  const sh: Shared = {
    parseName: name,
    text,
    stream: new Stream(items),
    treeSet: new Map(),
    hasFunction,
    column: (pos) => byteColumn(text, pos).column + 1,
  };
  const t = new TreeParser(name, sh);
  t.parse();
  t.add();
  return sh.treeSet;
}
