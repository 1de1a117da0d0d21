import { InvalidOptionsError, InvalidTimestampError } from './errors.js';

/** Options of `normalizeTimestamp`. */
export interface TimestampOptions {
  /** IANA zone for timestamps that carry no zone (SigningHub `date_time`, Taktikal legacy). Default `UTC`. */
  timeZone?: string;
}

// date, optional time (T or space), optional fraction of any length, optional zone (Z, ±HH, ±HHMM, ±HH:MM)
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const zoneFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * Turns any vendor timestamp form into RFC 3339 UTC with exactly six fractional digits
 * (`2019-11-08T11:03:49.0700000Z` → `2019-11-08T11:03:49.070000Z`). Digits past the sixth are
 * truncated, never rounded, so the order of outputs never contradicts the order of instants.
 */
export function normalizeTimestamp(input: string, options: TimestampOptions = {}): string {
  if (typeof input !== 'string') throw new InvalidTimestampError(String(input), 'not a string');
  const m = TIMESTAMP.exec(input.trim());
  if (!m) throw new InvalidTimestampError(input, 'not an ISO 8601 / RFC 3339 date-time');
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4] ?? 0);
  const minute = Number(m[5] ?? 0);
  const second = Number(m[6] ?? 0);
  if (month < 1 || month > 12) throw new InvalidTimestampError(input, 'month out of range');
  if (day < 1 || day > daysInMonth(year, month)) throw new InvalidTimestampError(input, 'day out of range');
  if (hour > 23 || minute > 59 || second > 59) throw new InvalidTimestampError(input, 'time out of range');
  const micros = (m[7] ?? '').padEnd(6, '0').slice(0, 6);

  const zone = m[8];
  const timeZone = options.timeZone ?? 'UTC';
  if (zone === 'Z' || zone === 'z' || zone === '+00:00' || (zone === undefined && timeZone === 'UTC')) {
    // Already UTC: the fields are the answer, no Date arithmetic (the hot path of every normalizer).
    if (year < 1) throw new InvalidTimestampError(input, 'year out of range');
    return `${m[1]}-${m[2]}-${m[3]}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}.${micros}Z`;
  }
  const wallMs = utcMs(year, month, day, hour, minute, second);
  let instantMs: number;
  if (zone !== undefined) {
    instantMs = wallMs - zoneOffsetMinutes(zone, input) * 60_000;
  } else {
    instantMs = wallMs - ianaOffsetMinutes(timeZone, wallMs) * 60_000;
  }
  const date = new Date(instantMs);
  const outYear = date.getUTCFullYear();
  if (outYear < 1 || outYear > 9999) throw new InvalidTimestampError(input, 'year out of range');
  return `${date.toISOString().slice(0, 19)}.${micros}Z`;
}

/**
 * True when `value` starts with a real calendar date and clock, `YYYY-MM-DD?HH:MM:SS` (year ≥ 1), whatever
 * character `?` is and whatever follows: the allocation-free check behind the adapters' fast paths for
 * their vendor's usual form, which then check their own separator and suffix.
 */
export function startsWithDateAndClock(value: string): boolean {
  if (value.length < 19) return false;
  if (value[4] !== '-' || value[7] !== '-' || value[13] !== ':' || value[16] !== ':') return false;
  const year = digitsAt(value, 0, 4);
  const month = digitsAt(value, 5, 2);
  const day = digitsAt(value, 8, 2);
  const hour = digitsAt(value, 11, 2);
  const minute = digitsAt(value, 14, 2);
  const second = digitsAt(value, 17, 2);
  if (year < 1 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23) return false;
  if (minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  return day <= daysInMonth(year, month);
}

/** The decimal number in `value[start, start + length)`, or -1 when a character is not a digit. */
function digitsAt(value: string, start: number, length: number): number {
  let n = 0;
  for (let i = start; i < start + length; i += 1) {
    const digit = value.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    n = n * 10 + digit;
  }
  return n;
}

function daysInMonth(year: number, month: number): number {
  const isLeap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && !isLeap ? 28 : (DAYS_IN_MONTH[month - 1] ?? 31);
}

/** True when `input` is a timestamp `normalizeTimestamp` accepts. */
export function isTimestamp(input: string): boolean {
  return TIMESTAMP.test(input.trim());
}

function utcMs(year: number, month: number, day: number, hour: number, minute: number, second: number) {
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second));
  date.setUTCFullYear(year); // Date.UTC maps years 0–99 onto 1900–1999
  return date.getTime();
}

function zoneOffsetMinutes(zone: string, input: string): number {
  if (zone === 'Z' || zone === 'z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || 0);
  if (hours > 23 || minutes > 59) throw new InvalidTimestampError(input, 'zone offset out of range');
  return sign * (hours * 60 + minutes);
}

/** Offset (minutes east of UTC) that `timeZone` has at the wall-clock time `wallMs` (read as UTC). */
function ianaOffsetMinutes(timeZone: string, wallMs: number): number {
  // The offset at the instant wall - offset(wall) is right except within a DST change; one more step fixes that.
  const first = offsetAt(timeZone, wallMs);
  const second = offsetAt(timeZone, wallMs - first * 60_000);
  return second;
}

function offsetAt(timeZone: string, instantMs: number): number {
  let formatter = zoneFormatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new InvalidOptionsError('timeZone', `unknown IANA time zone ${JSON.stringify(timeZone)}`);
    }
    zoneFormatters.set(timeZone, formatter);
  }
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(new Date(instantMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const asUtc = utcMs(
    parts.year ?? 1970,
    parts.month ?? 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return Math.round((asUtc - Math.floor(instantMs / 1000) * 1000) / 60_000);
}
