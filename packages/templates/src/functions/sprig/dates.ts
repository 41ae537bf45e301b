// Sprig date functions (date.go). `now` reads the clock, so templates using it are not reproducible; "Local" is
// UTC (Fasit renders on servers; the process time zone is never consulted). Times are time.Time values (GoTime).
import { GoInt, type GoValue } from '../../value.js';
import { intValue } from './go/reflect.js';
import { GoTime, GoTimeError, HOUR, MINUTE, SECOND, durationRound, durationString, formatTime, isKnownZone, parseDuration, parseTime } from './go/time.js';
import { alias, def, fail, str, type SpecMap } from './spec.js';
import { parseGoInt } from './go/cast.js';

function timeOf(date: GoValue | undefined): GoTime {
  if (date instanceof GoTime) return date;
  const n = typeof date === 'bigint' || (date instanceof GoInt && (date.goType === 'int64' || date.goType === 'int32')) ? intValue(date) : undefined;
  if (n !== undefined) return new GoTime(n * SECOND, 'Local');
  return GoTime.now();
}

function dateInZone(layout: string, date: GoValue | undefined, zone: string): string {
  const t = timeOf(date);
  const z = zone === 'Local' || zone === '' ? 'UTC' : isKnownZone(zone) ? zone : 'UTC';
  return formatTime(t.ns, z, layout);
}

function needTime(v: GoValue | undefined): GoTime {
  if (!(v instanceof GoTime)) return fail('wrong type for value; expected time.Time');
  return v;
}

function dateModify(spec: string, t: GoTime, must: boolean): GoTime {
  try {
    return new GoTime(t.ns + parseDuration(spec), t.zone);
  } catch (e) {
    if (!(e instanceof GoTimeError)) throw e;
    if (must) return fail(e.message);
    return t;
  }
}

const dateInZoneSpec = def(
  'dateInZone(fmt string, date interface{}, zone string) string',
  'Formats a time (or Unix seconds) with a Go layout in the named time zone.',
  ['{{ dateInZone "2006-01-02 15:04" 0 "UTC" }}', '1970-01-01 00:00'],
  (f, d, z) => dateInZone(str(f), d, str(z)),
);

const dateModifySpec = def(
  'dateModify(fmt string, date time.Time) time.Time',
  'Adds a Go duration ("-1.5h", "30m") to a time; the time unchanged if the duration is invalid.',
  ['{{ dateModify "1h" (toDate "2006-01-02" "2024-05-01") | date "15:04" }}', '01:00'],
  (f, d) => dateModify(str(f), needTime(d), false),
);

const mustDateModifySpec = def(
  'mustDateModify(fmt string, date time.Time) time.Time',
  'Like dateModify, but an invalid duration is an error.',
  ['{{ mustDateModify "1h" (toDate "2006-01-02" "2024-05-01") | date "15:04" }}', '01:00'],
  (f, d) => dateModify(str(f), needTime(d), true),
);

function toDate(layout: string, value: string, must: boolean): GoTime {
  try {
    return parseTime(layout, value);
  } catch (e) {
    if (!(e instanceof GoTimeError)) throw e;
    if (must) return fail(e.message);
    return new GoTime(-62135596800n * SECOND, 'UTC');
  }
}

export const dateFunctions: SpecMap = {
  toDate: def(
    'toDate(fmt string, str string) time.Time',
    'Parses a time with a Go layout (the zero time 0001-01-01 when it does not parse).',
    ['{{ toDate "2006-01-02" "2024-05-01" | date "Jan 2, 2006" }}', 'May 1, 2024'],
    (f, v) => toDate(str(f), str(v), false),
  ),
  mustToDate: def(
    'mustToDate(fmt string, str string) time.Time',
    'Like toDate, but a value that does not parse is an error.',
    ['{{ mustToDate "2006-01-02" "2024-05-01" | htmlDate }}', '2024-05-01'],
    (f, v) => toDate(str(f), str(v), true),
  ),
  now: def('now() time.Time', 'The current time (not reproducible: avoid in computed values).', ['{{ now | date "2006" | len }}', '4'], () => GoTime.now()),
  date: def(
    'date(fmt string, date interface{}) string',
    'Formats a time (or Unix seconds) with a Go layout such as "2006-01-02".',
    ['{{ date "2006-01-02" 86400 }}', '1970-01-02'],
    (f, d) => dateInZone(str(f), d, 'Local'),
  ),
  dateInZone: dateInZoneSpec,
  date_in_zone: alias(dateInZoneSpec, 'date_in_zone', 'Old name of dateInZone.'),
  htmlDate: def('htmlDate(date interface{}) string', 'Formats a time as 2006-01-02.', ['{{ htmlDate 0 }}', '1970-01-01'], (d) =>
    dateInZone('2006-01-02', d, 'Local'),
  ),
  htmlDateInZone: def(
    'htmlDateInZone(date interface{}, zone string) string',
    'Formats a time as 2006-01-02 in the named time zone.',
    ['{{ htmlDateInZone 0 "UTC" }}', '1970-01-01'],
    (d, z) => dateInZone('2006-01-02', d, str(z)),
  ),
  unixEpoch: def(
    'unixEpoch(date time.Time) string',
    'The Unix time in seconds of a time.',
    ['{{ toDate "2006-01-02" "1970-01-02" | unixEpoch }}', '86400'],
    (d) => needTime(d).unix().toString(),
  ),
  dateModify: dateModifySpec,
  date_modify: alias(dateModifySpec, 'date_modify', 'Old name of dateModify.'),
  mustDateModify: mustDateModifySpec,
  must_date_modify: alias(mustDateModifySpec, 'must_date_modify', 'Old name of mustDateModify.'),
  ago: def('ago(date interface{}) string', 'The time elapsed since a time, rounded to seconds (not reproducible).', ['{{ ago now }}', '0s'], (d) =>
    durationString(durationRound(GoTime.now().ns - timeOf(d).ns, SECOND)),
  ),
  duration: def(
    'duration(sec interface{}) string',
    'Formats a number of seconds (a string or an int64) as a Go duration: "95" gives 1m35s.',
    ['{{ duration "95" }}', '1m35s'],
    (v) => {
      let n = 0n;
      if (typeof v === 'string') n = parseGoInt(v, 10) ?? 0n;
      else if (v instanceof GoInt && v.goType === 'int64') n = v.value;
      return durationString(BigInt.asIntN(64, n * SECOND));
    },
  ),
  durationRound: def(
    'durationRound(duration interface{}) string',
    'A duration (Go duration string, int64 nanoseconds or a time) rounded to its largest unit: 2h, 3d, 1y.',
    ['{{ durationRound "2h10m5s" }}', '2h'],
    (v) => {
      let d = 0n;
      if (typeof v === 'string') {
        try {
          d = parseDuration(v);
        } catch {
          d = 0n;
        }
      } else if (v instanceof GoInt && v.goType === 'int64') d = v.value;
      else if (v instanceof GoTime) d = GoTime.now().ns - v.ns;
      const u = d < 0n ? -d : d;
      const day = 24n * HOUR;
      const units: [bigint, string][] = [
        [365n * day, 'y'],
        [30n * day, 'mo'],
        [day, 'd'],
        [HOUR, 'h'],
        [MINUTE, 'm'],
        [SECOND, 's'],
      ];
      for (const [size, name] of units) if (u > size) return `${u / size}${name}`;
      return '0s';
    },
  ),
};
