import { foldByProcess } from '@signtrail/core';
import { openStore } from '@signtrail/store';
import { UsageError } from '../errors.js';
import { printResult } from '../output.js';
import type { CommandContext } from '../run.js';
import { storeOptionsOf, tenantOf } from './store-options.js';

const PAGE = 1000;

/** `signtrail export`: prints stored events in time order, page by page (keyset paging). */
export default async function exportCommand(ctx: CommandContext): Promise<void> {
  if (ctx.positionals.length > 0)
    throw new UsageError('usage: signtrail export [--vendor V] [--process ID] [--from D] [--to D]');
  const store = await openStore(storeOptionsOf(ctx));
  try {
    const filters = {
      tenant: tenantOf(ctx),
      ...(ctx.values.vendor ? { vendor: ctx.values.vendor as string } : {}),
      ...(ctx.values.process ? { processId: ctx.values.process as string } : {}),
      ...(ctx.values.from ? { from: ctx.values.from as string } : {}),
      ...(ctx.values.to ? { to: ctx.values.to as string } : {}),
    };
    // JSON is one document (events and states); NDJSON and CSV stream page by page.
    const whole = ctx.output.format === 'json' || ctx.output.format === 'table';
    const collected = [];
    let cursor: string | undefined;
    let first = true;
    do {
      const page = await store.queryEvents({ ...filters, limit: PAGE, ...(cursor ? { cursor } : {}) });
      if (whole) collected.push(...page.events);
      else printResult(ctx.write, page.events, [], ctx.output, first);
      first = false;
      cursor = page.nextCursor;
    } while (cursor);
    if (whole) printResult(ctx.write, collected, foldByProcess(collected), ctx.output);
  } finally {
    await store.close();
  }
}
