import { normalizeTimestamp } from '@signtrail/core';
import { UsageError } from './errors.js';
import type { CommandContext } from './run.js';

/** `--from` and `--to` as given, checked before any store or vendor is asked. */
export interface TimeWindow {
  from?: string;
  to?: string;
}

/**
 * Checks `--from` and `--to`: each must be a date or date-time that core reads (zone-less is UTC), and
 * `--from` earlier than `--to` when both are given. A bad value is a usage error (exit 2) naming the option,
 * without echoing it. The values are returned as given: stores and adapters normalize them the same way.
 */
export function timeWindow(ctx: CommandContext): TimeWindow {
  const from = timeOption(ctx, 'from');
  const to = timeOption(ctx, 'to');
  if (from && to && from.instant >= to.instant) throw new UsageError('--from: must be earlier than --to');
  return { ...(from ? { from: from.given } : {}), ...(to ? { to: to.given } : {}) };
}

function timeOption(
  ctx: CommandContext,
  option: 'from' | 'to',
): { given: string; instant: string } | undefined {
  const given = ctx.values[option];
  if (given === undefined) return undefined;
  try {
    if (typeof given === 'string') return { given, instant: normalizeTimestamp(given) };
  } catch {
    // The value is not echoed: the message names the option and what it takes.
  }
  throw new UsageError(
    `--${option}: expected an ISO 8601 date or date-time, e.g. 2024-01-01 or 2024-01-01T09:30:00Z (UTC unless a zone is given)`,
  );
}
