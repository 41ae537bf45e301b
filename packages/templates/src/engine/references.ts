// Static references of a parsed template: which data fields (as paths from the top-level dot), functions,
// variables and templates it uses. The values engine shows which environment values a template reads.
//
// Paths are written from the data root: `.Env.project_id`; inside `range .Envs` the dot is `.Envs[]`, so
// `{{ range .Envs }}{{ .name }}{{ end }}` refers to `.Envs[].name`. `with`, `$`, variables bound to a field
// (`$e := .Env`, `$e := index .Envs 1` → `.Envs[]`) and `template "x" .Env` calls are followed. A field read from a
// value the analysis cannot trace (a function result, say) is not reported.
import type { ArgNode, Node, PipeNode, Tree } from './ast.js';

export interface TemplateReferences {
  /** Field paths from the root data, sorted, e.g. [".Env.name", ".Envs[].zones"]. */
  fields: string[];
  /** Functions called (builtins included), sorted. */
  functions: string[];
  /** Variables declared, sorted (without `$`). */
  variables: string[];
  /** Templates invoked with `template`/`block`, sorted. */
  templates: string[];
}

type Path = string | null;

class Collector {
  readonly fields = new Set<string>();
  readonly functions = new Set<string>();
  readonly variables = new Set<string>();
  readonly templates = new Set<string>();
  private readonly visited = new Set<string>();

  constructor(private readonly trees: ReadonlyMap<string, Tree>) {}

  field(base: Path, idents: readonly string[]): Path {
    if (base === null) return null;
    const p = base + idents.map((i) => `.${i}`).join('');
    if (idents.length > 0) this.fields.add(p);
    return p;
  }

  /** The path a pipeline's value has, if it is a traceable field (or `index` into one). */
  pipe(p: PipeNode | null, dot: Path, vars: Map<string, Path>): Path {
    if (p === null) return null;
    let value: Path = null;
    for (const cmd of p.cmds) {
      const [first, ...rest] = cmd.args;
      for (const a of rest) this.arg(a, dot, vars);
      if (first === undefined) continue;
      if (first.type === 'identifier') {
        this.functions.add(first.ident);
        const target = rest[0];
        const indexed = first.ident === 'index' && target !== undefined ? this.arg(target, dot, vars) : null;
        value = indexed !== null ? indexed + '[]'.repeat(Math.max(rest.length - 1, 0)) : null;
      } else {
        value = this.arg(first, dot, vars);
      }
    }
    for (const d of p.decl) {
      const name = d.ident[0] ?? '';
      if (name !== '$') this.variables.add(name.replace(/^\$/, ''));
      vars.set(name, value);
    }
    return value;
  }

  arg(a: ArgNode, dot: Path, vars: Map<string, Path>): Path {
    switch (a.type) {
      case 'field':
        return this.field(dot, a.ident);
      case 'variable': {
        const base = vars.get(a.ident[0] ?? '') ?? null;
        return this.field(base, a.ident.slice(1));
      }
      case 'dot':
        return dot;
      case 'identifier':
        this.functions.add(a.ident);
        return null;
      case 'pipe':
        return this.pipe(a, dot, vars);
      case 'chain': {
        const base = this.arg(a.node, dot, vars);
        return this.field(base, a.field);
      }
      case 'bool':
      case 'nil':
      case 'number':
      case 'string':
        return null;
    }
  }

  walk(n: Node, dot: Path, vars: Map<string, Path>): void {
    switch (n.type) {
      case 'list':
        for (const c of n.nodes) this.walk(c, dot, vars);
        return;
      case 'action':
        this.pipe(n.pipe, dot, vars);
        return;
      case 'if':
      case 'with':
      case 'range': {
        const scope = new Map(vars);
        const v = this.pipe(n.pipe, dot, scope);
        let inner: Path = dot;
        if (n.type === 'with') inner = v;
        if (n.type === 'range') {
          inner = v === null ? null : `${v}[]`;
          const [first, second] = n.pipe.decl;
          if (second !== undefined) {
            scope.set(first?.ident[0] ?? '', null);
            scope.set(second.ident[0] ?? '', inner);
          } else if (first !== undefined) {
            scope.set(first.ident[0] ?? '', inner);
          }
        }
        this.walk(n.list, inner, new Map(scope));
        if (n.elseList !== null) this.walk(n.elseList, dot, new Map(scope));
        return;
      }
      case 'template': {
        this.templates.add(n.name);
        const arg = this.pipe(n.pipe, dot, new Map(vars));
        const tree = this.trees.get(n.name);
        const key = `${n.name}\u0000${arg ?? '?'}`;
        if (tree !== undefined && !this.visited.has(key)) {
          this.visited.add(key);
          this.walk(tree.root, arg, new Map([['$', arg]]));
        }
        return;
      }
      case 'break':
      case 'comment':
      case 'continue':
      case 'text':
        return;
    }
  }
}

/** Collect the references of the template `name` (following the templates it calls). */
export function collectReferences(name: string, trees: ReadonlyMap<string, Tree>): TemplateReferences {
  const c = new Collector(trees);
  const root = trees.get(name);
  if (root !== undefined) c.walk(root.root, '', new Map([['$', '']]));
  // defined templates that are never called still name functions
  for (const [n, t] of trees) {
    if (n !== name && !c.templates.has(n)) c.walk(t.root, null, new Map([['$', null]]));
  }
  const sorted = (s: Set<string>): string[] => [...s].sort();
  return {
    fields: sorted(c.fields),
    functions: sorted(c.functions),
    variables: sorted(c.variables),
    templates: sorted(c.templates),
  };
}
