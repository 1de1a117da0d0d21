import { startDemoSimulators } from '@signtrail/sandbox';
import { UsageError } from '../errors.js';
import type { CommandContext } from '../run.js';

/** `signtrail sandbox`: starts every adapter's simulator with demo stories until interrupted. */
export default async function sandbox(ctx: CommandContext): Promise<void> {
  const seed = Number(ctx.values.seed ?? 42);
  const processes = Number(ctx.values.processes ?? 25);
  if (!Number.isInteger(seed) || !Number.isInteger(processes) || processes < 1) {
    throw new UsageError('--seed and --processes take whole numbers (processes ≥ 1)');
  }
  // Adapters are resolved from the CLI's own package, which depends on all of them.
  const demo = await startDemoSimulators({
    seed,
    processes,
    fromDir: new URL('..', import.meta.url).pathname,
  });
  ctx.write(demo.describe());
  ctx.write('Press Ctrl+C to stop.\n');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await demo.close();
}
