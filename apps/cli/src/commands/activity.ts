import { foldLog, type NormalizedEvent, type ProcessState } from '@signtrail/core';
import { UsageError } from '../errors.js';
import { printResult } from '../output.js';
import type { CommandContext } from '../run.js';
import { timeWindow } from '../time-window.js';
import { requireVendor, sourceFor } from '../vendors.js';

/** `signtrail activity <vendor> --from --to [--filter K=V]`: streams company-wide activity. */
export default async function activity(ctx: CommandContext): Promise<void> {
  const [vendor, ...extra] = ctx.positionals;
  const from = ctx.values.from as string | undefined;
  const to = ctx.values.to as string | undefined;
  if (!from || !to || extra.length > 0)
    throw new UsageError('usage: signtrail activity <vendor> --from <date> --to <date>');
  timeWindow(ctx);
  const filters: Record<string, string> = {};
  for (const filter of (ctx.values.filter as string[] | undefined) ?? []) {
    const eq = filter.indexOf('=');
    if (eq <= 0) throw new UsageError(`--filter ${JSON.stringify(filter)}: expected NAME=VALUE`);
    filters[filter.slice(0, eq)] = filter.slice(eq + 1);
  }
  const source = await sourceFor(requireVendor(vendor), ctx.io.env, ctx.config);
  const progress = ctx.io.stderr.isTTY ? ctx.io.stderr : undefined;
  const started = Date.now();
  const collected: NormalizedEvent[] = [];
  const states: ProcessState[] = [];
  let processes = 0;
  let events = 0;
  // JSON is one document, so it is collected; the other formats stream process by process.
  const streaming = ctx.output.format !== 'json';
  for await (const log of source.listActivity({ from, to, filters })) {
    processes += 1;
    events += log.events.length;
    for (const warning of log.warnings) ctx.warn(`signtrail: warning: ${warning.message}`);
    const state = foldLog(log);
    if (streaming)
      printResult(ctx.write, log.events, ctx.output.format === 'table' ? [state] : [], ctx.output);
    else {
      collected.push(...log.events);
      states.push(state);
    }
    if (progress) {
      const rate = events / Math.max(0.001, (Date.now() - started) / 1000);
      progress.write(`\r${processes} processes, ${events} events, ${rate.toFixed(0)} events/s `);
    }
  }
  if (progress) progress.write('\n');
  if (!streaming) printResult(ctx.write, collected, states, ctx.output);
  if (processes === 0) ctx.warn(`signtrail: no activity between ${from} and ${to}`);
}
