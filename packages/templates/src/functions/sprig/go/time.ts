// Go's time package, the parts Sprig's date functions use: Duration formatting and parsing, and time.Time
// values formatted with Go reference layouts ("2006-01-02 15:04:05"). Times are nanoseconds since the Unix
// epoch (bigint) plus a location; "Local" is UTC on a server (the process time zone is not consulted).
import { readFileSync } from 'node:fs';
import { GoTyped } from '../../../value.js';

export const NS = 1n;
export const MICRO = 1000n;
export const MILLI = 1000_000n;
export const SECOND = 1000_000_000n;
export const MINUTE = 60n * SECOND;
export const HOUR = 60n * MINUTE;

const INT64_MAX = 2n ** 63n - 1n;

export class GoTimeError extends Error {}

function fmtFrac(v: bigint, prec: number): { frac: string; rest: bigint } {
  let s = '';
  let print = false;
  let u = v;
  for (let i = 0; i < prec; i++) {
    const digit = u % 10n;
    print = print || digit !== 0n;
    if (print) s = digit.toString() + s;
    u /= 10n;
  }
  return { frac: print ? `.${s}` : '', rest: u };
}

/** time.Duration.String() */
export function durationString(d: bigint): string {
  const neg = d < 0n;
  let u = neg ? -d : d;
  let out: string;
  if (u < SECOND) {
    if (u === 0n) return '0s';
    let prec: number;
    let unit: string;
    if (u < MICRO) {
      prec = 0;
      unit = 'ns';
    } else if (u < MILLI) {
      prec = 3;
      unit = 'µs';
    } else {
      prec = 6;
      unit = 'ms';
    }
    const f = fmtFrac(u, prec);
    out = `${f.rest}${f.frac}${unit}`;
  } else {
    const f = fmtFrac(u, 9);
    u = f.rest;
    out = `${u % 60n}${f.frac}s`;
    u /= 60n;
    if (u > 0n) {
      out = `${u % 60n}m${out}`;
      u /= 60n;
      if (u > 0n) out = `${u}h${out}`;
    }
  }
  return neg ? `-${out}` : out;
}

const UNITS: Record<string, bigint> = {
  ns: NS,
  us: MICRO,
  µs: MICRO,
  μs: MICRO,
  ms: MILLI,
  s: SECOND,
  m: MINUTE,
  h: HOUR,
};

/** time.ParseDuration */
export function parseDuration(s: string): bigint {
  const orig = s;
  const bad = (): never => {
    throw new GoTimeError(`time: invalid duration ${JSON.stringify(orig)}`);
  };
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') bad();
  let total = 0n;
  while (s !== '') {
    const m = /^([0-9]*)(?:\.([0-9]*))?/.exec(s)!;
    const intPart = m[1] ?? '';
    const fracPart = m[2];
    if (intPart === '' && (fracPart === undefined || fracPart === '')) bad();
    s = s.slice(m[0].length);
    const um = /^[^0-9.]+/.exec(s);
    if (!um) throw new GoTimeError(`time: missing unit in duration ${JSON.stringify(orig)}`);
    const unitName = um[0];
    const unit = UNITS[unitName];
    if (unit === undefined) throw new GoTimeError(`time: unknown unit ${JSON.stringify(unitName)} in duration ${JSON.stringify(orig)}`);
    s = s.slice(unitName.length);
    let v = BigInt(intPart || '0') * unit;
    if (fracPart) {
      const scale = 10n ** BigInt(fracPart.length);
      v += (BigInt(fracPart) * unit) / scale;
    }
    total += v;
    if (total > INT64_MAX) bad();
  }
  return neg ? -total : total;
}

/** Duration.Round(m): half away from zero. */
export function durationRound(d: bigint, m: bigint): bigint {
  let r = d % m;
  if (d < 0n) {
    r = -r;
    return r + r < m ? d + r : d + r - m;
  }
  return r + r < m ? d - r : d + m - r;
}

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
  yday: number;
  offsetSeconds: number;
  abbrev: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

interface ZoneInfo {
  times: bigint[];
  idx: number[];
  types: { off: number; abbr: string; dst: boolean }[];
}

const zoneInfos = new Map<string, ZoneInfo | null>();

/** The system tz database entry (TZif, as Go's LoadLocation reads it), or null when there is none. */
function zoneInfo(name: string): ZoneInfo | null {
  if (zoneInfos.has(name)) return zoneInfos.get(name)!;
  let info: ZoneInfo | null = null;
  try {
    if (/^[A-Za-z0-9_+-]+(\/[A-Za-z0-9_+-]+)*$/.test(name)) info = parseTzif(readFileSync(`/usr/share/zoneinfo/${name}`));
  } catch {
    info = null;
  }
  zoneInfos.set(name, info);
  return info;
}

function parseTzif(b: Buffer): ZoneInfo | null {
  if (b.toString('latin1', 0, 4) !== 'TZif') return null;
  const counts = (at: number): number[] => [0, 1, 2, 3, 4, 5].map((k) => b.readUInt32BE(at + 20 + 4 * k));
  let [isut, isstd, leap, timecnt, typecnt, charcnt] = counts(0) as [number, number, number, number, number, number];
  let p = 44;
  let wide = false;
  if (b[4] !== 0) {
    // skip the 32-bit block, read the 64-bit one
    p += timecnt * 5 + typecnt * 6 + charcnt + leap * 8 + isstd + isut;
    [isut, isstd, leap, timecnt, typecnt, charcnt] = counts(p) as [number, number, number, number, number, number];
    p += 44;
    wide = true;
  }
  const times: bigint[] = [];
  for (let k = 0; k < timecnt; k++) times.push(wide ? b.readBigInt64BE(p + 8 * k) : BigInt(b.readInt32BE(p + 4 * k)));
  p += timecnt * (wide ? 8 : 4);
  const idx = [...b.subarray(p, p + timecnt)];
  p += timecnt;
  const raw: { off: number; dst: boolean; ai: number }[] = [];
  for (let k = 0; k < typecnt; k++) raw.push({ off: b.readInt32BE(p + 6 * k), dst: b[p + 6 * k + 4] === 1, ai: b[p + 6 * k + 5]! });
  p += typecnt * 6;
  const chars = b.subarray(p, p + charcnt);
  const types = raw.map((t) => {
    const end = chars.indexOf(0, t.ai);
    return { off: t.off, dst: t.dst, abbr: chars.toString('latin1', t.ai, end < 0 ? undefined : end) };
  });
  return types.length ? { times, idx, types } : null;
}

/** Offset and abbreviation from the tz database, if it covers the instant (null: ask Intl). */
function tzdbLookup(name: string, sec: bigint, intlOffset: () => number): { off: number; abbr: string } | null {
  const info = zoneInfo(name);
  if (!info) return null;
  const { times, idx, types } = info;
  if (times.length === 0 || sec < times[0]!) {
    const first = types.find((t) => !t.dst) ?? types[0]!;
    return times.length === 0 ? { off: first.off, abbr: first.abbr } : first;
  }
  if (sec >= times[times.length - 1]!) {
    // past the last transition Go applies the zone's rule; take the offset from Intl and its tz abbreviation
    const off = intlOffset();
    for (let k = idx.length - 1; k >= 0; k--) {
      const t = types[idx[k]!]!;
      if (t.off === off) return t;
    }
    return null;
  }
  let lo = 0;
  let hi = times.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (times[mid]! <= sec) lo = mid;
    else hi = mid - 1;
  }
  return types[idx[lo]!] ?? null;
}

/** Whether time.LoadLocation(name) would succeed (UTC, Local, or an IANA zone known to the runtime). */
export function isKnownZone(name: string): boolean {
  if (name === '' || name === 'UTC' || name === 'Local') return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function wallClock(ns: bigint, zone: string): Wall {
  const ms = Number(ns / MILLI) - (ns % MILLI < 0n ? 1 : 0);
  let offsetSeconds = 0;
  let abbrev = 'UTC';
  const fixed = /^fixed:(-?\d+):(.*)$/.exec(zone);
  if (fixed) {
    offsetSeconds = Number(fixed[1]);
    abbrev = fixed[2] || zoneOffset(offsetSeconds, '-0700');
  } else if (zone !== 'UTC' && zone !== 'Local' && zone !== '') {
    const intl = (): { off: number; abbr: string } => {
      let f = formatters.get(zone);
      if (!f) {
        f = new Intl.DateTimeFormat('en-US', {
          timeZone: zone,
          hourCycle: 'h23',
          year: 'numeric',
          month: 'numeric',
          day: 'numeric',
          hour: 'numeric',
          minute: 'numeric',
          second: 'numeric',
          timeZoneName: 'short',
        });
        formatters.set(zone, f);
      }
      const parts = Object.fromEntries(f.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
      const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
      const off = Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 1000);
      let abbr = parts.timeZoneName ?? zone;
      if (/^GMT[+-]/.test(abbr)) {
        // Go prints a numeric abbreviation (+0530, -05) for zones without a letter one
        const a = Math.abs(off);
        abbr = `${off < 0 ? '-' : '+'}${String(Math.floor(a / 3600)).padStart(2, '0')}${a % 3600 ? String(Math.floor((a % 3600) / 60)).padStart(2, '0') : ''}`;
      }
      return { off, abbr };
    };
    const sec = ns / SECOND - (ns % SECOND < 0n ? 1n : 0n);
    const z = tzdbLookup(zone, sec, () => intl().off) ?? intl();
    offsetSeconds = z.off;
    abbrev = z.abbr;
  }
  const d = new Date(ms + offsetSeconds * 1000);
  const start = Date.UTC(d.getUTCFullYear(), 0, 1);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: d.getUTCDay(),
    yday: Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - start) / 86400000) + 1,
    offsetSeconds,
    abbrev,
  };
}

const LONG_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const pad = (n: number, w: number, c = '0'): string => String(n).padStart(w, c);

function zoneOffset(off: number, style: string): string {
  if (style.startsWith('Z') && off === 0) return 'Z';
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  const hh = pad(Math.floor(a / 3600), 2);
  const mm = pad(Math.floor((a % 3600) / 60), 2);
  const ss = pad(a % 60, 2);
  const s = style.replace(/^Z/, '-');
  switch (s) {
    case '-07':
      return sign + hh;
    case '-0700':
      return sign + hh + mm;
    case '-07:00':
      return `${sign}${hh}:${mm}`;
    case '-070000':
      return sign + hh + mm + ss;
    default:
      return `${sign}${hh}:${mm}:${ss}`;
  }
}

/** Time.Format(layout) */
export function formatTime(ns: bigint, zone: string, layout: string): string {
  const w = wallClock(ns, zone);
  const nanos = Number(((ns % SECOND) + SECOND) % SECOND);
  let out = '';
  let i = 0;
  const at = (s: string): boolean => layout.startsWith(s, i);
  while (i < layout.length) {
    const c = layout[i]!;
    let tok: string | undefined;
    let val = '';
    if (c === 'J' && at('January')) [tok, val] = ['January', LONG_MONTHS[w.month - 1]!];
    else if (c === 'J' && at('Jan')) [tok, val] = ['Jan', LONG_MONTHS[w.month - 1]!.slice(0, 3)];
    else if (c === 'M' && at('Monday')) [tok, val] = ['Monday', LONG_DAYS[w.weekday]!];
    else if (c === 'M' && at('Mon')) [tok, val] = ['Mon', LONG_DAYS[w.weekday]!.slice(0, 3)];
    else if (c === 'M' && at('MST')) [tok, val] = ['MST', w.abbrev];
    else if (c === '0' && /^0[1-6]/.test(layout.slice(i))) {
      tok = layout.slice(i, i + 2);
      const h12 = w.hour % 12 === 0 ? 12 : w.hour % 12;
      val = { '01': pad(w.month, 2), '02': pad(w.day, 2), '03': pad(h12, 2), '04': pad(w.minute, 2), '05': pad(w.second, 2), '06': pad(w.year % 100, 2) }[tok]!;
    } else if (c === '0' && at('002')) [tok, val] = ['002', pad(w.yday, 3)];
    else if (c === '1' && at('15')) [tok, val] = ['15', pad(w.hour, 2)];
    else if (c === '1') [tok, val] = ['1', String(w.month)];
    else if (c === '2' && at('2006')) [tok, val] = ['2006', pad(w.year, 4)];
    else if (c === '2') [tok, val] = ['2', String(w.day)];
    else if (c === '_' && at('_2006')) [tok, val] = ['_2006', `_${pad(w.year, 4)}`];
    else if (c === '_' && at('__2')) [tok, val] = ['__2', pad(w.yday, 3, ' ')];
    else if (c === '_' && at('_2')) [tok, val] = ['_2', pad(w.day, 2, ' ')];
    else if (c === '3') [tok, val] = ['3', String(w.hour % 12 === 0 ? 12 : w.hour % 12)];
    else if (c === '4') [tok, val] = ['4', String(w.minute)];
    else if (c === '5') [tok, val] = ['5', String(w.second)];
    else if (c === 'P' && at('PM')) [tok, val] = ['PM', w.hour >= 12 ? 'PM' : 'AM'];
    else if (c === 'p' && at('pm')) [tok, val] = ['pm', w.hour >= 12 ? 'pm' : 'am'];
    else if (c === '-' || c === 'Z') {
      const m = /^[-Z](070000|07:00:00|0700|07:00|07)/.exec(layout.slice(i));
      if (m) [tok, val] = [m[0], zoneOffset(w.offsetSeconds, m[0])];
    } else if ((c === '.' || c === ',') && /^[.,](0+|9+)(?![0-9])/.test(layout.slice(i))) {
      const m = /^[.,](0+|9+)/.exec(layout.slice(i))!;
      tok = m[0];
      const digits = String(nanos).padStart(9, '0').slice(0, m[1]!.length);
      if (m[1]![0] === '0') val = c + digits;
      else {
        const t = digits.replace(/0+$/, '');
        val = t ? c + t : '';
      }
    }
    if (tok === undefined) {
      out += c;
      i++;
    } else {
      out += val;
      i += tok.length;
    }
  }
  return out;
}

/** time.Time */
export class GoTime extends GoTyped {
  readonly goType = 'time.Time';
  constructor(
    readonly ns: bigint,
    readonly zone: string,
  ) {
    super();
  }
  static now(): GoTime {
    return new GoTime(BigInt(Date.now()) * MILLI, 'Local');
  }
  format(): string {
    return formatTime(this.ns, this.zone, '2006-01-02 15:04:05.999999999 -0700 MST');
  }
  marshalJSON(): string {
    return JSON.stringify(formatTime(this.ns, this.zone, '2006-01-02T15:04:05.999999999Z07:00'));
  }
  goEqual(o: GoTyped): boolean {
    return o instanceof GoTime && o.ns === this.ns && o.zone === this.zone;
  }
  unix(): bigint {
    const s = this.ns / SECOND;
    return this.ns % SECOND < 0n ? s - 1n : s;
  }
}

const SHORT_MONTHS = LONG_MONTHS.map((m) => m.slice(0, 3));
const SHORT_DAYS = LONG_DAYS.map((d) => d.slice(0, 3));

const LAYOUT_TOKENS = [
  'January',
  'Jan',
  'Monday',
  'Mon',
  'MST',
  '2006',
  '_2006',
  '002',
  '__2',
  '_2',
  '01',
  '02',
  '03',
  '04',
  '05',
  '06',
  '15',
  '1',
  '2',
  '3',
  '4',
  '5',
  'PM',
  'pm',
  'Z070000',
  'Z07:00:00',
  'Z0700',
  'Z07:00',
  'Z07',
  '-070000',
  '-07:00:00',
  '-0700',
  '-07:00',
  '-07',
];

/** time.ParseInLocation(layout, value, Local) with Local = UTC. */
export function parseTime(layout: string, value: string): GoTime {
  const orig = value;
  const bad = (what: string): never => {
    throw new GoTimeError(
      `parsing time ${JSON.stringify(orig)} as ${JSON.stringify(layout)}: cannot parse ${JSON.stringify(value)} as ${JSON.stringify(what)}`,
    );
  };
  let year = 0;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let nanos = 0;
  let pm: boolean | undefined;
  let offset: number | undefined;
  let zoneName = '';
  const num = (tok: string, min: number, max: number): number => {
    const m = new RegExp(`^\\d{${min},${max}}`).exec(value);
    if (!m) return bad(tok);
    value = value.slice(m[0].length);
    return Number(m[0]);
  };
  let i = 0;
  while (i < layout.length) {
    const frac = /^[.,](0+|9+)(?![0-9])/.exec(layout.slice(i));
    if (frac) {
      const fm = frac[1]![0] === '0' ? new RegExp(`^[.,]\\d{${frac[1]!.length}}`).exec(value) : /^(?:[.,]\d+)?/.exec(value);
      if (!fm) return bad(frac[0]);
      if (fm[0]) nanos = Number(fm[0].slice(1).padEnd(9, '0').slice(0, 9));
      value = value.slice(fm[0].length);
      i += frac[0].length;
      continue;
    }
    const tok = LAYOUT_TOKENS.find((t) => layout.startsWith(t, i));
    if (tok === undefined) {
      if (value[0] !== layout[i]) return bad(layout.slice(i));
      value = value.slice(1);
      i++;
      continue;
    }
    i += tok.length;
    switch (tok) {
      case '2006':
        year = num(tok, 4, 4);
        break;
      case '_2006':
        if (value[0] !== '_') bad(tok);
        value = value.slice(1);
        year = num(tok, 4, 4);
        break;
      case '06': {
        const y = num(tok, 2, 2);
        year = y >= 69 ? 1900 + y : 2000 + y;
        break;
      }
      case '01':
        month = num(tok, 2, 2);
        break;
      case '1':
        month = num(tok, 1, 2);
        break;
      case 'January':
      case 'Jan': {
        const names = tok === 'Jan' ? SHORT_MONTHS : LONG_MONTHS;
        const k = names.findIndex((n) => value.toLowerCase().startsWith(n.toLowerCase()));
        if (k < 0) bad(tok);
        month = k + 1;
        value = value.slice(names[k]!.length);
        break;
      }
      case 'Monday':
      case 'Mon': {
        const names = tok === 'Mon' ? SHORT_DAYS : LONG_DAYS;
        const k = names.findIndex((n) => value.toLowerCase().startsWith(n.toLowerCase()));
        if (k < 0) bad(tok);
        value = value.slice(names[k]!.length);
        break;
      }
      case '02':
        day = num(tok, 2, 2);
        break;
      case '_2':
        if (value[0] === ' ') value = value.slice(1);
        day = num(tok, 1, 2);
        break;
      case '2':
        day = num(tok, 1, 2);
        break;
      case '002':
      case '__2':
        num(tok, 1, 3);
        break;
      case '15':
        hour = num(tok, 1, 2);
        break;
      case '03':
        hour = num(tok, 2, 2);
        break;
      case '3':
        hour = num(tok, 1, 2);
        break;
      case '04':
        minute = num(tok, 2, 2);
        break;
      case '4':
        minute = num(tok, 1, 2);
        break;
      case '05':
      case '5': {
        second = num(tok, tok === '05' ? 2 : 1, 2);
        // a fractional second the layout does not mention is accepted after the seconds
        const fm = /^[.,](\d+)/.exec(value);
        if (fm && !/^[.,][09]/.test(layout.slice(i))) {
          nanos = Number(fm[1]!.padEnd(9, '0').slice(0, 9));
          value = value.slice(fm[0].length);
        }
        break;
      }
      case 'PM':
      case 'pm': {
        const ap = value.slice(0, 2).toUpperCase();
        if (ap !== 'AM' && ap !== 'PM') bad(tok);
        pm = ap === 'PM';
        value = value.slice(2);
        break;
      }
      case 'MST': {
        const zm = /^(UTC|GMT(?:[+-]\d{1,2})?|[A-Z]{3,5})/.exec(value);
        if (!zm) return bad(tok);
        zoneName = zm[0];
        value = value.slice(zm[0].length);
        break;
      }
      default: {
        // numeric zone offsets
        if (tok.startsWith('Z') && value[0] === 'Z') {
          value = value.slice(1);
          offset = 0;
          break;
        }
        const shape = tok.replace(/^Z/, '-');
        const re = {
          '-07': /^([+-])(\d{2})/,
          '-0700': /^([+-])(\d{2})(\d{2})/,
          '-07:00': /^([+-])(\d{2}):(\d{2})/,
          '-070000': /^([+-])(\d{2})(\d{2})(\d{2})/,
          '-07:00:00': /^([+-])(\d{2}):(\d{2}):(\d{2})/,
        }[shape];
        const om = re?.exec(value);
        if (!om) return bad(tok);
        const secs = Number(om[2]) * 3600 + Number(om[3] ?? 0) * 60 + Number(om[4] ?? 0);
        offset = om[1] === '-' ? -secs : secs;
        value = value.slice(om[0].length);
      }
    }
  }
  if (value !== '') throw new GoTimeError(`parsing time ${JSON.stringify(orig)}: extra text: ${JSON.stringify(value)}`);
  if (pm !== undefined) {
    if (hour > 12) throw new GoTimeError(`parsing time ${JSON.stringify(orig)}: hour out of range`);
    if (pm && hour < 12) hour += 12;
    if (!pm && hour === 12) hour = 0;
  }
  const rangeErr = (what: string): never => {
    throw new GoTimeError(`parsing time ${JSON.stringify(orig)}: ${what} out of range`);
  };
  if (month < 1 || month > 12) rangeErr('month');
  const dim = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > dim) rangeErr('day');
  if (hour > 23) rangeErr('hour');
  if (minute > 59) rangeErr('minute');
  if (second > 59) rangeErr('second');
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  let ns = BigInt(d.getTime()) * MILLI + BigInt(nanos);
  let zone = 'Local';
  if (offset !== undefined) {
    ns -= BigInt(offset) * SECOND;
    if (offset !== 0) zone = `fixed:${offset}:`;
  } else if (zoneName !== '' && zoneName !== 'UTC') {
    zone = `fixed:0:${zoneName}`;
  }
  return new GoTime(ns, zone);
}
