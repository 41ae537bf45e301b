// Masterminds/semver v3.2 (what Sprig 3.2.3 uses): Version parsing and ordering, constraint checking.
import { GoInt, GoTyped, type GoValue } from '../../../value.js';
import { TemplateFuncError, type GoFunction } from '../../signature.js';
import { compileGoRegexp, execAt, findAll, matchString } from './regexp.js';

const SEMVER = /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;
const UINT64_MAX = 2n ** 64n - 1n;

export class SemverError extends Error {}

function parseUint(s: string): bigint {
  const n = BigInt(s);
  if (n > UINT64_MAX) throw new SemverError(`Error parsing version segment: strconv.ParseUint: parsing "${s}": value out of range`);
  return n;
}

function isUint(s: string): boolean {
  return /^[0-9]+$/.test(s) && BigInt(s) <= UINT64_MAX;
}

/** *semver.Version */
export class SemverVersion extends GoTyped {
  constructor(
    readonly major: bigint,
    readonly minor: bigint,
    readonly patch: bigint,
    readonly pre: string,
    readonly metadata: string,
    readonly original: string,
    /** `*semver.Version` from semver(); the Inc* methods return a `semver.Version` value. */
    readonly goType: string = '*semver.Version',
  ) {
    super();
  }

  static parse(v: string): SemverVersion {
    const m = SEMVER.exec(v);
    if (!m) throw new SemverError('Invalid Semantic Version');
    const pre = m[5] ?? '';
    const meta = m[8] ?? '';
    if (pre !== '') {
      for (const p of pre.split('.')) {
        if (/^[0-9]+$/.test(p) && p.length > 1 && p[0] === '0') throw new SemverError('Version segment starts with 0');
      }
    }
    return new SemverVersion(parseUint(m[1]!), m[2] ? parseUint(m[2].slice(1)) : 0n, m[3] ? parseUint(m[3].slice(1)) : 0n, pre, meta, v);
  }

  override toString(): string {
    return `${this.major}.${this.minor}.${this.patch}${this.pre ? `-${this.pre}` : ''}${this.metadata ? `+${this.metadata}` : ''}`;
  }

  format(): string {
    return this.toString();
  }

  marshalJSON(): string {
    return JSON.stringify(this.toString());
  }

  goEqual(o: GoTyped): boolean {
    return o instanceof SemverVersion && o.toString() === this.toString() && o.original === this.original;
  }

  compare(o: SemverVersion): number {
    for (const [a, b] of [
      [this.major, o.major],
      [this.minor, o.minor],
      [this.patch, o.patch],
    ] as const) {
      if (a !== b) return a < b ? -1 : 1;
    }
    if (this.pre === '' && o.pre === '') return 0;
    if (this.pre === '') return 1;
    if (o.pre === '') return -1;
    return comparePrerelease(this.pre, o.pre);
  }

  override method(name: string): GoFunction | undefined {
    const other = (v: GoValue): SemverVersion => {
      if (v instanceof SemverVersion) return v;
      throw new TemplateFuncError(`wrong type for value; expected *semver.Version; got ${v === null ? '<nil>' : typeof v}`);
    };
    const inc = (major: bigint, minor: bigint, patch: bigint): SemverVersion =>
      new SemverVersion(major, minor, patch, '', '', `${this.original.startsWith('v') ? 'v' : ''}${major}.${minor}.${patch}`, 'semver.Version');
    switch (name) {
      case 'Major':
        return { params: [], fn: () => new GoInt('uint64', this.major) };
      case 'Minor':
        return { params: [], fn: () => new GoInt('uint64', this.minor) };
      case 'Patch':
        return { params: [], fn: () => new GoInt('uint64', this.patch) };
      case 'Prerelease':
        return { params: [], fn: () => this.pre };
      case 'Metadata':
        return { params: [], fn: () => this.metadata };
      case 'Original':
        return { params: [], fn: () => this.original };
      case 'String':
        return { params: [], fn: () => this.toString() };
      case 'Compare':
        return { params: ['any'], fn: (o) => BigInt(this.compare(other(o))) };
      case 'LessThan':
        return { params: ['any'], fn: (o) => this.compare(other(o)) < 0 };
      case 'GreaterThan':
        return { params: ['any'], fn: (o) => this.compare(other(o)) > 0 };
      case 'Equal':
        return { params: ['any'], fn: (o) => this.compare(other(o)) === 0 };
      case 'IncPatch':
        return {
          params: [],
          fn: () => (this.pre ? inc(this.major, this.minor, this.patch) : inc(this.major, this.minor, this.patch + 1n)),
        };
      case 'IncMinor':
        return { params: [], fn: () => inc(this.major, this.minor + 1n, 0n) };
      case 'IncMajor':
        return { params: [], fn: () => inc(this.major + 1n, 0n, 0n) };
    }
    return undefined;
  }
}

function comparePrePart(s: string, o: string): number {
  if (s === o) return 0;
  if (o === '') return isUint(s) ? 1 : -1;
  if (s === '') return isUint(o) ? -1 : 1;
  const on = isUint(o);
  const sn = isUint(s);
  if (!on && !sn) return s > o ? 1 : -1;
  if (!on) return -1;
  if (!sn) return 1;
  return BigInt(s) > BigInt(o) ? 1 : -1;
}

function comparePrerelease(v: string, o: string): number {
  const sp = v.split('.');
  const op = o.split('.');
  const l = Math.max(sp.length, op.length);
  for (let i = 0; i < l; i++) {
    const d = comparePrePart(sp[i] ?? '', op[i] ?? '');
    if (d !== 0) return d;
  }
  return 0;
}

// ---- constraints ----

const CV = String.raw`v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?`;
const OPS = String.raw`=||!=|>|<|>=|=>|<=|=<|~|~>|\^`;
const S = String.raw`[\t\n\f\r ]`;
// Masterminds' own (Go) patterns, run by the Go regexp engine: the constraint is template input, and on
// JavaScript's backtracking RegExp validConstraintRegex is exponential (`1,   1,   1, ... !`: ~6 s at 14 repeats).
const constraintRegex = compileGoRegexp(`^${S}*(${OPS})${S}*(${CV})${S}*$`);
const constraintRangeRegex = compileGoRegexp(`${S}*(${CV})${S}+-${S}+(${CV})${S}*`);
const findConstraintRegex = compileGoRegexp(`(${OPS})${S}*(${CV})`);
const validConstraintRegex = compileGoRegexp(`^(${S}*(${OPS})${S}*(${CV})${S}*)((?:${S}+|,${S}*)(${OPS})${S}*(${CV})${S}*)*$`);

interface Constraint {
  con: SemverVersion;
  orig: string;
  op: string;
  minorDirty: boolean;
  patchDirty: boolean;
  dirty: boolean;
}

const isX = (x: string): boolean => x === 'x' || x === '*' || x === 'X';

function parseConstraint(c: string): Constraint {
  if (c.length === 0) {
    return { con: SemverVersion.parse('0.0.0'), orig: c, op: '', minorDirty: false, patchDirty: false, dirty: true };
  }
  const m = execAt(constraintRegex, c, 0);
  if (!m) throw new SemverError(`improper constraint: ${c}`);
  const [, op = '', orig = '', major = '', minorP = '', patchP = '', pre = ''] = m;
  let ver = orig;
  let minorDirty = false;
  let patchDirty = false;
  let dirty = false;
  if (isX(major) || major === '') {
    ver = `0.0.0${pre}`;
    dirty = true;
  } else if (isX(minorP.replace(/^\./, '')) || minorP === '') {
    minorDirty = true;
    dirty = true;
    ver = `${major}.0.0${pre}`;
  } else if (isX(patchP.replace(/^\./, '')) || patchP === '') {
    dirty = true;
    patchDirty = true;
    ver = `${major}${minorP}.0${pre}`;
  }
  let con: SemverVersion;
  try {
    con = SemverVersion.parse(ver);
  } catch {
    throw new SemverError('constraint Parser Error');
  }
  return { con, orig, op, minorDirty, patchDirty, dirty };
}

function rewriteRange(i: string): string {
  let o = i;
  for (const m of findAll(constraintRangeRegex, i, -1, true)) {
    o = o.replace(m[0], `>= ${m[1]}, <= ${m[11]} `);
  }
  return o;
}

function check(v: SemverVersion, c: Constraint): boolean {
  const preBlocked = v.pre !== '' && c.con.pre === '';
  const tilde = (): boolean => {
    if (preBlocked) return false;
    if (v.compare(c.con) < 0) return false;
    if (c.con.major === 0n && c.con.minor === 0n && c.con.patch === 0n && !c.minorDirty && !c.patchDirty) return true;
    if (v.major !== c.con.major) return false;
    if (v.minor !== c.con.minor && !c.minorDirty) return false;
    return true;
  };
  switch (c.op) {
    case '':
    case '=':
      if (preBlocked) return false;
      if (c.dirty) return tilde();
      return v.compare(c.con) === 0;
    case '!=':
      if (c.dirty) {
        if (preBlocked) return false;
        if (c.con.major !== v.major) return true;
        if (c.con.minor !== v.minor && !c.minorDirty) return true;
        if (c.minorDirty) return false;
        if (c.con.patch !== v.patch && !c.patchDirty) return true;
        if (c.patchDirty) {
          if (v.pre !== '' || c.con.pre !== '') return comparePrerelease(v.pre, c.con.pre) !== 0;
          return false;
        }
      }
      return v.compare(c.con) !== 0;
    case '>':
      if (preBlocked) return false;
      if (!c.dirty) return v.compare(c.con) === 1;
      if (v.major > c.con.major) return true;
      if (v.major < c.con.major) return false;
      if (c.minorDirty) return false;
      if (c.patchDirty) return v.minor > c.con.minor;
      return v.compare(c.con) === 1;
    case '<':
      if (preBlocked) return false;
      return v.compare(c.con) < 0;
    case '>=':
    case '=>':
      if (preBlocked) return false;
      return v.compare(c.con) >= 0;
    case '<=':
    case '=<':
      if (preBlocked) return false;
      if (!c.dirty) return v.compare(c.con) <= 0;
      if (v.major > c.con.major) return false;
      if (v.major === c.con.major && v.minor > c.con.minor && !c.minorDirty) return false;
      return true;
    case '~':
    case '~>':
      return tilde();
    case '^':
      if (preBlocked) return false;
      if (v.compare(c.con) < 0) return false;
      if (c.con.major > 0n || c.minorDirty) return v.major === c.con.major;
      if (c.con.major === 0n && v.major > 0n) return false;
      if (c.con.minor > 0n || c.patchDirty) return v.minor === c.con.minor;
      if (c.con.minor === 0n && v.minor > 0n) return false;
      return c.con.patch === v.patch;
  }
  return false;
}

/** semver.NewConstraint(c).Check(v) */
export function semverCheck(constraint: string, version: string): boolean {
  const ors = rewriteRange(constraint).split('||');
  const parsed = ors.map((or) => {
    if (!matchString(validConstraintRegex, or)) throw new SemverError(`improper constraint: ${or}`);
    const cs = findAll(findConstraintRegex, or, -1).map((m) => m[0]);
    return (cs.length ? cs : [or]).map(parseConstraint);
  });
  const v = SemverVersion.parse(version);
  return parsed.some((and) => and.every((c) => check(v, c)));
}
