import { openStore, type SyncProgress, sync } from '@signtrail/store';
import { UsageError } from '../errors.js';
import type { CommandContext } from '../run.js';
import { timeWindow } from '../time-window.js';
import { requireVendor, sourceFor } from '../vendors.js';
import { storeOptionsOf, tenantOf } from './store-options.js';

/** `signtrail sync <vendor>`: copies vendor activity into the store with a progress line and a summary. */
export default async function syncCommand(ctx: CommandContext): Promise<void> {
  const [vendor, ...extra] = ctx.positionals;
  if (!vendor || extra.length > 0)
    throw new UsageError('usage: signtrail sync <vendor> [--tenant NAME] [--from DATE]');
  // The walk ends now and the next sync resumes from there: a --to (a future one would move the cursor past
  // every later event) is refused rather than ignored.
  if (ctx.values.to !== undefined)
    throw new UsageError(
      '--to: sync always walks up to now and takes --from only; use export --to to read a window',
    );
  const { from } = timeWindow(ctx);
  const source = await sourceFor(requireVendor(vendor), ctx.io.env, ctx.config);
  const store = await openStore(storeOptionsOf(ctx));
  const tty = ctx.io.stderr.isTTY === true;
  try {
    const result = await sync({
      store,
      tenant: tenantOf(ctx),
      source,
      ...(from ? { from } : {}),
      onProgress: (progress) => {
        if (tty && progress.phase !== 'done') ctx.io.stderr.write(`\r${progressLine(progress)} `);
      },
    });
    if (tty) ctx.io.stderr.write('\n');
    if (result.skipped) {
      ctx.warn(`signtrail: sync skipped: ${result.reason}`);
      return;
    }
    ctx.write(
      `synced ${vendor} for tenant ${result.tenant}: ${result.processes} processes, ${result.events} events read, ` +
        `${result.inserted} new, ${result.duplicates} already stored, ${result.conflicts} conflicts, ` +
        `${result.warnings} warnings, ${(result.elapsedMs / 1000).toFixed(1)} s (${result.from} → ${result.to})\n`,
    );
  } finally {
    await store.close();
  }
}

function progressLine(progress: SyncProgress): string {
  const total = progress.total?.events;
  const eta =
    total && progress.eventsPerSecond > 0
      ? `, ETA ${Math.max(0, (total - progress.events) / progress.eventsPerSecond).toFixed(0)} s`
      : '';
  return `${progress.processes} processes, ${progress.events} events, ${progress.batches} batches, ${progress.eventsPerSecond.toFixed(0)} events/s${eta}`;
}
