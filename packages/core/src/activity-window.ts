import type { ActivityQuery } from './contract.js';
import { InvalidOptionsError } from './errors.js';
import { normalizeTimestamp } from './time.js';

/** The half-open window `[start, end)` of a `listActivity` query, as RFC 3339 UTC with microseconds. */
export interface ActivityWindow {
  start: string;
  end: string;
}

const QUERY_KEYS: ReadonlySet<string> = new Set(['from', 'to', 'signal', 'filters', 'onWarning']);

/**
 * Checks a `listActivity` query before any request and returns its window. An unknown key is refused, not
 * ignored: a vendor filter written beside `from` (`{ from, to, StatusFilter }`) would otherwise be dropped
 * without a word. Strings keep their precision (a `Date` has milliseconds only), so windows that meet at a
 * microsecond neither overlap nor leave a gap; zone-less strings are UTC.
 */
export function activityWindow(query: ActivityQuery): ActivityWindow {
  for (const key of Object.keys(query)) {
    if (!QUERY_KEYS.has(key)) {
      throw new InvalidOptionsError(
        key,
        'unknown option of listActivity (vendor filters go under `filters`)',
      );
    }
  }
  const start = windowBound('from', query.from);
  const end = windowBound('to', query.to);
  if (start >= end) throw new InvalidOptionsError('from', 'must be earlier than to');
  return { start, end };
}

function windowBound(option: 'from' | 'to', value: unknown): string {
  const text = value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString() : value;
  try {
    if (typeof text === 'string') return normalizeTimestamp(text);
  } catch {
    // The value is not echoed: the message names the option and what it takes.
  }
  throw new InvalidOptionsError(option, 'a Date or an ISO 8601 date-time');
}
