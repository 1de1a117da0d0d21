import { parseArgs } from 'node:util';
import { startDemoSimulators } from './demo.js';

const HELP = `signtrail-sandbox — start a loopback simulator for every installed SignTrail adapter

Usage: signtrail-sandbox [--seed N] [--processes N]

  --seed N        story seed (default 42): the same seed serves the same demo data
  --processes N   signing processes per vendor (default 25)
  --help          this text

Example:
  signtrail-sandbox --seed 7 --processes 100
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { seed: { type: 'string' }, processes: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const seed = Number(values.seed ?? 42);
  const processes = Number(values.processes ?? 25);
  if (!Number.isInteger(seed) || !Number.isInteger(processes) || processes < 1) {
    process.stderr.write('signtrail-sandbox: --seed and --processes take whole numbers (processes ≥ 1)\n');
    process.exit(2);
  }
  const demo = await startDemoSimulators({ seed, processes });
  if (demo.simulators.length === 0) {
    process.stderr.write(
      'signtrail-sandbox: no adapter with a simulator is installed (@signtrail/adapter-*)\n',
    );
    process.exit(1);
  }
  process.stdout.write(demo.describe());
  process.stdout.write('Press Ctrl+C to stop.\n');
  const stop = async () => {
    await demo.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`signtrail-sandbox: ${(error as Error).message}\n`);
  process.exit(1);
});
