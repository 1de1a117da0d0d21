import { discoverSimulators } from './discover.js';
import { generateStories } from './stories.js';
import type { VendorSimulator } from './vendor-simulator.js';

/** Options of `startDemoSimulators`. */
export interface DemoOptions {
  seed?: number;
  processes?: number;
  /** Where installed adapters are looked up from. Default: the current directory. */
  fromDir?: string;
}

/** Running demo simulators, with a text that tells a person how to reach them. */
export interface Demo {
  simulators: VendorSimulator[];
  /** Base URLs and `export SIGNTRAIL_…=…` lines, one vendor after another. */
  describe(): string;
  close(): Promise<void>;
}

/** Starts every installed adapter's simulator with seeded demo stories (default seed 42, 25 processes). */
export async function startDemoSimulators(options: DemoOptions = {}): Promise<Demo> {
  const seed = options.seed ?? 42;
  const processes = options.processes ?? 25;
  const simulators: VendorSimulator[] = [];
  const lines: string[] = [];
  for (const module of await discoverSimulators(options.fromDir)) {
    const stories = generateStories({ ...module.storyOptions, seed, processes, vendor: module.vendor });
    const simulator = await module.start({ stories });
    simulators.push(simulator);
    lines.push(`${module.vendor}: ${simulator.baseUrl} (${stories.length} processes)`);
    for (const [name, value] of Object.entries(simulator.env)) lines.push(`  export ${name}=${value}`);
  }
  return {
    simulators,
    describe: () => `${lines.join('\n')}\n`,
    close: async () => {
      await Promise.all(simulators.map((s) => s.close()));
    },
  };
}
