// Renders docs/template-functions.md from functionReference (see generate-docs.ts; a test keeps the file current).
import { functionReference, type FunctionReferenceEntry } from './reference.js';
import { omittedSprigFunctions } from './sprig/index.js';

function code(s: string): string {
  const fence = s.includes('`') ? '``' : '`';
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${s}${pad}${fence}`;
}

function shownOutput(s: string): string {
  if (s === '') return '(empty)';
  return /[\n\t]|^\s|\s$/.test(s) ? `${code(JSON.stringify(s))} (as a JSON string)` : code(s);
}

function entry(e: FunctionReferenceEntry): string {
  const note = e.origin === 'sprig' && e.sets.length === 1 ? ' *(Sprig set only: the Fasit set has its own `' + e.name + '`)*' : '';
  return `- **${code(e.signature)}** — ${e.description}${note}  \n  ${code(e.example)} → ${shownOutput(e.output)}`;
}

const DIFFERENCES = `## Where Fasit's functions differ from Sprig's

The Fasit set is Sprig plus the functions above; on a name clash the Fasit function wins. Templates rendered with
the Fasit set (the default for Feature.yaml computed values) therefore see these differences:

| name | Sprig | Fasit | what changes |
|---|---|---|---|
| \`join\` | \`join(sep string, v interface{})\` | \`join(sep string, list interface{})\` | Same argument order. Sprig converts items with toString and **drops nil items**, and accepts a non-list (\`join "," "abc"\` is \`abc\`); Fasit prints every item with \`%v\` (nil becomes \`<nil>\`) and fails on a non-list. |
| \`replace\` | \`replace(old, new, src string)\` | \`replace(s, old, new string)\` | **Argument order.** Sprig's order pipes (\`.x \\| replace "-" "_"\`); with Fasit's, the piped value becomes \`new\`, so \`.x \\| replace "a" "b"\` replaces "b" in "a" with the value. Write \`replace .x "-" "_"\`. |
| \`quote\` | \`quote(str ...interface{})\` | \`quote(v interface{})\` | Fasit takes exactly one argument; nil gives an empty string (Sprig drops nil arguments too). Both use Go's \`strconv.Quote\` escaping. |
| \`b64enc\` | \`b64enc(v string)\` | \`b64enc(v interface{})\` | Fasit accepts nil (gives \`""\`) where Sprig fails with a type error; any other non-string fails in both. |
| \`filter\` | — | \`filter(key, value, listOfMaps)\` | Not in Sprig. Keeps the maps whose \`item[key] == value\` (same Go type: \`filter "replicas" 3 .Envs\` never matches JSON numbers, use \`3.0\`). The list comes last, so \`.Envs \\| filter "kind" "tenant"\` works; the original's UI reference shows another order, the code's order is the one implemented. |
| \`exclude\` | — | \`exclude(key, value, listOfMaps)\` | Not in Sprig. The complement of \`filter\`. |
`;

/** The whole docs/template-functions.md. */
export function renderFunctionDocs(): string {
  const fasit = functionReference.filter((e) => e.origin === 'fasit');
  const sprig = functionReference.filter((e) => e.origin === 'sprig');
  const groups = [...new Set(sprig.map((e) => e.group))];
  const parts: string[] = [];
  parts.push(`# Template functions

<!-- Generated from packages/templates/src/functions (functionReference). Do not edit by hand: run
     \`node --import @swc-node/register/esm-register packages/templates/src/functions/generate-docs.ts\`
     from the repository root. A test fails when this file is out of date. -->

Computed values in \`Feature.yaml\` are Go \`text/template\` templates. Two function sets exist:

- **fasit** (the default for computed values): every Sprig function below plus the Fasit functions; where both
  define a name, the Fasit function is used.
- **sprig**: Sprig v3.2.3 only (\`fasit template render --functions sprig\`), as Helm and other Go tools have it.

Besides these, the template language has the builtins \`and or not eq ne lt le gt ge len index print printf
println html js urlquery call\` (Sprig's \`slice\` replaces the builtin \`slice\`).

Values from the template data are JSON: every number is a Go \`float64\` (\`3\` in the data is \`3.0\`), while numbers
written in a template are \`int\` constants. Functions declared with an \`int\` parameter refuse a float64 (\`until
.Env.replicas\` fails: use \`until (int .Env.replicas)\`). Sprig's integer math returns \`int64\`.

Each entry shows the Go signature, what the function does, and an example with its exact output.

## Fasit functions
`);
  for (const e of fasit) parts.push(entry(e));
  parts.push('');
  parts.push(DIFFERENCES);
  parts.push('## Sprig functions\n');
  for (const g of groups) {
    parts.push(`### ${g[0]!.toUpperCase()}${g.slice(1)}\n`);
    for (const e of sprig.filter((x) => x.group === g)) parts.push(entry(e));
    parts.push('');
  }
  parts.push('## Sprig functions not provided\n');
  parts.push(
    'These Sprig 3.2.3 functions are left out because their results are random, depend on the server, or are out of scope; a template using one fails to parse with "function not defined".\n',
  );
  const byReason = new Map<string, string[]>();
  for (const [name, reason] of Object.entries(omittedSprigFunctions)) byReason.set(reason, [...(byReason.get(reason) ?? []), name]);
  for (const [reason, names] of byReason) parts.push(`- ${reason}: ${names.map(code).join(', ')}`);
  parts.push('');
  return parts.join('\n');
}
