// cli.startup: wall time of `signtrail --help` against a bare `node -e ''` (the floor), same run.
import { spawnSync } from 'node:child_process';
import { alternateMedians, printRatio } from './lib/measure.mjs';

const bin = new URL('../apps/cli/bin/signtrail.js', import.meta.url).pathname;
const run = (args) => () => {
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
};
const [ours, floor] = await alternateMedians(run([bin, '--help']), run(['-e', '']), { runs: 15, warmup: 2 });
printRatio('cli.startup', ours, floor);
