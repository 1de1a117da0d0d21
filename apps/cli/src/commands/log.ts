import { foldLog } from '@signtrail/core';
import { UsageError } from '../errors.js';
import { printResult, printStates } from '../output.js';
import type { CommandContext } from '../run.js';
import { requireVendor, sourceFor } from '../vendors.js';

/** `signtrail log|status <vendor> <processId>`: one process's trail (log) or its folded state (status). */
export default async function logOrStatus(ctx: CommandContext): Promise<void> {
  const [vendor, processId, ...extra] = ctx.positionals;
  const command = ctx.values.command as string;
  if (!processId || extra.length > 0)
    throw new UsageError(`usage: signtrail ${command} <vendor> <processId>`);
  const source = await sourceFor(requireVendor(vendor), ctx.io.env, ctx.config);
  const log = await source.getProcessLog(processId);
  for (const warning of log.warnings) ctx.warn(`signtrail: warning: ${warning.message}`);
  const state = foldLog(log);
  if (command === 'status') printStates(ctx.write, [state], ctx.output);
  else printResult(ctx.write, log.events, [state], ctx.output);
}
