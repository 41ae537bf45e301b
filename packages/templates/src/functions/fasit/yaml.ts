// gopkg.in/yaml.v2 Marshal output for template values (what Fasit's toYAML returns): block style, two-space
// indentation, sequences not indented under a mapping key, map keys in yaml.v2's natural order, and strings
// quoted only when a plain scalar would be read back as something else.
import { GoInt, GoMapOf, GoSlice, GoTyped, isGoMap, type GoValue } from '../../value.js';
import { parseGoFloat, parseGoInt } from '../sprig/go/cast.js';
import { formatFloat } from '../sprig/go/fmt.js';

/** yaml.v2 keyList.Less: runs of digits compare as numbers, letters before other characters. */
export function yamlKeyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  const isLetter = (c: string): boolean => /\p{L}/u.test(c);
  const isDigit = (c: string | undefined): boolean => c !== undefined && /^[0-9]$/.test(c);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]!);
    const bl = isLetter(br[i]!);
    if (al && bl) return ar[i]! < br[i]!;
    if (al || bl) return bl;
    let an = 0n;
    let bn = 0n;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10n + BigInt(ar[ai]!);
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10n + BigInt(br[bi]!);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i]! < br[i]!;
  }
  return ar.length < br.length;
}

// yaml.v2's resolver: a plain scalar that would read back as null, bool, int, float, timestamp or merge key.
const RESOLVE_MAP = new Set([
  'y',
  'Y',
  'yes',
  'Yes',
  'YES',
  'on',
  'On',
  'ON',
  'n',
  'N',
  'no',
  'No',
  'NO',
  'off',
  'Off',
  'OFF',
  'true',
  'True',
  'TRUE',
  'false',
  'False',
  'FALSE',
  '~',
  'null',
  'Null',
  'NULL',
  '.nan',
  '.NaN',
  '.NAN',
  '.inf',
  '.Inf',
  '.INF',
  '+.inf',
  '+.Inf',
  '+.INF',
  '-.inf',
  '-.Inf',
  '-.INF',
]);
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const TIMESTAMP =
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?$/;
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

function resolvesToNonString(s: string): boolean {
  if (s === '') return true;
  const h = s[0]!;
  const hint = h === '+' || h === '-' ? 'S' : h >= '0' && h <= '9' ? 'D' : 'yYnNtTfFoO~'.includes(h) ? 'M' : h === '.' ? '.' : '';
  if (hint === '') return false;
  if (RESOLVE_MAP.has(s)) return true;
  if (hint === 'M') return false;
  if (hint === '.') return parseGoFloat(s) !== null;
  if (TIMESTAMP.test(s)) return true;
  const plain = s.replaceAll('_', '');
  if (parseGoInt(plain, 0) !== null) return true;
  if (/^(?:0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO]?[0-7]+|[1-9][0-9]*|0)$/.test(plain)) return true;
  if (YAML_FLOAT.test(plain) && parseGoFloat(plain) !== null) return true;
  return false;
}

/** Characters the YAML emitter cannot write as they are: C0 controls other than tab/newline/CR, DEL, and (for
 * plain scalars) the Unicode line separators and BOM. */
function hasSpecial(s: string, unicodeBreaks: boolean): boolean {
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) return true;
    if (unicodeBreaks && (c === 0x85 || c === 0x2028 || c === 0x2029 || c === 0xfeff)) return true;
  }
  return false;
}

function plainAllowed(s: string): boolean {
  if (s === '' || resolvesToNonString(s) || BASE60_FLOAT.test(s)) return false;
  if (/^\s|\s$/.test(s)) return false;
  if (/^[#,[\]{}&*!|>'"%@`]/.test(s)) return false;
  if (/^[-?:](\s|$)/.test(s)) return false;
  if (/: |:$| #/.test(s)) return false;
  if (hasSpecial(s, true)) return false;
  if (s.includes('\n') || s.includes('\t')) return false;
  return true;
}

/** Where a scalar is written: the column it starts at, and whether the emitter may fold it (not in keys). */
interface Place {
  col: number;
  fold: boolean;
}

const BEST_WIDTH = 80;

/**
 * yaml.v2's emitter folds plain and quoted scalars: at a single space past column 80 it starts a new line at the
 * continuation indent instead of writing the space.
 */
function folded(chars: string[], place: Place, cont: string, quoted: "'" | '"' | ''): string {
  let out = quoted;
  let col = place.col + quoted.length;
  let spaces = false;
  const n = chars.length;
  for (let i = 0; i < n; i++) {
    const ch = chars[i]!;
    if (ch === ' ') {
      const edgeOk = quoted === '' || (i > 0 && i < n - 1);
      if (place.fold && !spaces && col > BEST_WIDTH && edgeOk && (quoted === '"' || chars[i + 1] !== ' ')) {
        out += `\n${cont}`;
        col = cont.length;
        if (quoted === '"' && chars[i + 1] === ' ') {
          out += '\\';
          col++;
        }
      } else {
        out += ch;
        col++;
      }
      spaces = true;
    } else {
      out += ch;
      col += [...ch].length;
      spaces = false;
    }
  }
  return out + quoted;
}

function doubleQuotedChars(s: string): string[] {
  const out: string[] = [];
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"') out.push('\\"');
    else if (ch === '\\') out.push('\\\\');
    else if (ch === '\n') out.push('\\n');
    else if (ch === '\t') out.push('\\t');
    else if (ch === '\r') out.push('\\r');
    else if (cp < 0x20 || cp === 0x7f) out.push(`\\x${cp.toString(16).toUpperCase().padStart(2, '0')}`);
    else if (cp === 0xfeff) out.push('\\uFEFF');
    else out.push(ch);
  }
  return out;
}

function scalarString(s: string, indent: string, place: Place): string {
  const cont = `${indent}  `;
  if (s.includes('\n') && !hasSpecial(s, false)) {
    // literal block
    const chomp = s.endsWith('\n') ? (s.endsWith('\n\n') ? '+' : '') : '-';
    const body = s.endsWith('\n') ? s.slice(0, -1) : s;
    const ind = s.startsWith(' ') ? '2' : '';
    return `|${ind}${chomp}\n${body
      .split('\n')
      .map((l) => (l === '' ? '' : cont + l))
      .join('\n')}`;
  }
  if (plainAllowed(s)) return folded([...s], place, cont, '');
  if (resolvesToNonString(s) || BASE60_FLOAT.test(s) || s.includes('\t') || hasSpecial(s, false)) {
    return folded(doubleQuotedChars(s), place, cont, '"');
  }
  return folded([...s.replaceAll("'", "''")], place, cont, "'");
}

function scalar(v: GoValue, indent: string, place: Place): string | undefined {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'string':
      return scalarString(v, indent, place);
    case 'bigint':
      return v.toString();
    case 'number':
      if (Number.isNaN(v)) return '.nan';
      if (v === Infinity) return '.inf';
      if (v === -Infinity) return '-.inf';
      return formatFloat(v);
    case 'object':
    case 'function':
    case 'symbol':
    case 'undefined':
      break;
  }
  if (v instanceof GoInt) return v.value.toString();
  if (v instanceof GoTyped && !(v instanceof GoSlice) && !(v instanceof GoMapOf)) return scalarString(v.format(), indent, place);
  return undefined;
}

function entries(v: GoValue): [string, GoValue][] | undefined {
  if (v instanceof GoMapOf) return Object.entries(v.entries);
  if (isGoMap(v)) return Object.entries(v);
  return undefined;
}

function items(v: GoValue): GoValue[] | undefined {
  if (Array.isArray(v)) return v;
  if (v instanceof GoSlice) return v.items;
  return undefined;
}

function node(v: GoValue, indent: string): string[] {
  const s = scalar(v, indent, { col: indent.length, fold: true });
  if (s !== undefined) return [s];
  const es = entries(v);
  if (es) {
    if (es.length === 0) return ['{}'];
    es.sort(([a], [b]) => (yamlKeyLess(a, b) ? -1 : yamlKeyLess(b, a) ? 1 : 0));
    const lines: string[] = [];
    for (const [k, val] of es) {
      const child = val ?? null;
      if (Buffer.byteLength(k, 'utf8') > 128 || k.includes('\n')) {
        // not a simple key: yaml.v2 writes "? key" and ": value" on lines of their own
        lines.push(`${indent}? ${scalarString(k, indent, { col: indent.length + 2, fold: true })}`);
        const sv = scalar(child, indent, { col: indent.length + 2, fold: true });
        if (sv !== undefined) lines.push(`${indent}: ${sv}`);
        else lines.push(`${indent}:`, ...node(child, `${indent}  `));
        continue;
      }
      const key = scalarString(k, indent, { col: indent.length, fold: false });
      const sc = scalar(child, indent, { col: indent.length + [...key].length + 2, fold: true });
      if (sc !== undefined) lines.push(`${indent}${key}: ${sc}`);
      else {
        const sub = entries(child);
        const list = items(child);
        if ((sub && sub.length === 0) || (list && list.length === 0)) lines.push(`${indent}${key}: ${sub ? '{}' : '[]'}`);
        else {
          lines.push(`${indent}${key}:`);
          lines.push(...node(child, sub ? `${indent}  ` : indent));
        }
      }
    }
    return lines;
  }
  const list = items(v) ?? [];
  if (list.length === 0) return ['[]'];
  const lines: string[] = [];
  for (const item of list) {
    const x = item ?? null;
    const sc = scalar(x, indent, { col: indent.length + 2, fold: true });
    if (sc !== undefined) {
      lines.push(`${indent}- ${sc}`);
      continue;
    }
    const sub = entries(x);
    const sl = items(x);
    if ((sub && sub.length === 0) || (sl && sl.length === 0)) {
      lines.push(`${indent}- ${sub ? '{}' : '[]'}`);
      continue;
    }
    const inner = node(x, `${indent}  `);
    lines.push(`${indent}- ${inner[0]!.slice(indent.length + 2)}`, ...inner.slice(1));
  }
  return lines;
}

/** yaml.Marshal(v) as a string (always newline-terminated). */
export function toYamlV2(v: GoValue): string {
  const lines = node(v, '');
  return `${lines.join('\n')}\n`;
}
