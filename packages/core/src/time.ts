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
  const isLeap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const maxDay = month === 2 && !isLeap ? 28 : (DAYS_IN_MONTH[month - 1] ?? 31);
  if (day < 1 || day > maxDay) throw new InvalidTimestampError(input, 'day out of range');
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
