import { foldByProcess, type NormalizedEvent } from '@signtrail/core';
import { openStore } from '@signtrail/store';
import { UsageError } from '../errors.js';
import { printResult } from '../output.js';
import type { CommandContext } from '../run.js';
import { timeWindow } from '../time-window.js';
import { storeOptionsOf, tenantOf } from './store-options.js';

const PAGE = 1000;

/**
 * `signtrail export`: prints stored events in core's order (occurredAt, seq, id), page by page (keyset
 * paging). The store pages in (occurredAt, id) order, so the events of one instant are held back until the
 * page that ends them, then printed in core's order.
 */
export default async function exportCommand(ctx: CommandContext): Promise<void> {
  if (ctx.positionals.length > 0)
    throw new UsageError('usage: signtrail export [--vendor V] [--process ID] [--from D] [--to D]');
  const window = timeWindow(ctx);
  const store = await openStore(storeOptionsOf(ctx));
  try {
    const filters = {
      tenant: tenantOf(ctx),
      ...(ctx.values.vendor ? { vendor: ctx.values.vendor as string } : {}),
      ...(ctx.values.process ? { processId: ctx.values.process as string } : {}),
      ...window,
    };
    // JSON is one document (events and states); NDJSON and CSV stream page by page.
    const whole = ctx.output.format === 'json' || ctx.output.format === 'table';
    const collected: NormalizedEvent[] = [];
    let held: NormalizedEvent[] = [];
    let cursor: string | undefined;
    let first = true;
    do {
      const page = await store.queryEvents({ ...filters, limit: PAGE, ...(cursor ? { cursor } : {}) });
      cursor = page.nextCursor;
      if (whole) collected.push(...page.events);
      else {
        const events = [...held, ...page.events];
        const cut = cursor ? startOfLastInstant(events) : events.length;
        held = events.slice(cut);
        printResult(ctx.write, events.slice(0, cut), [], ctx.output, first);
      }
      first = false;
    } while (cursor);
    if (whole) printResult(ctx.write, collected, foldByProcess(collected), ctx.output);
  } finally {
    await store.close();
  }
}

/** Index of the first of the trailing events that share the last event's `occurredAt`. */
function startOfLastInstant(events: readonly NormalizedEvent[]): number {
  const last = events.at(-1)?.occurredAt;
  let cut = events.length;
  while (cut > 0 && events[cut - 1]!.occurredAt === last) cut -= 1;
  return cut;
}
