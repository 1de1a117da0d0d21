// The three vendors' simulators as their adapters export them (`simulator`: vendor, story options, start).
import { simulator as signinghub } from '@signtrail/adapter-signinghub/sandbox';
import { simulator as taktikal } from '@signtrail/adapter-taktikal/sandbox';
import { simulator as zapsign } from '@signtrail/adapter-zapsign/sandbox';
import { generateStories, type Story, type VendorSimulator } from '@signtrail/sandbox';

/** The vendors the server ships, in the order their simulators start. */
export const VENDORS = ['taktikal', 'signinghub', 'zapsign'] as const;
export type Vendor = (typeof VENDORS)[number];

/** Each vendor's simulator module. */
export const SIMULATOR_MODULES = { taktikal, signinghub, zapsign };

/** One vendor's stories in its own wire's terms. */
export function storiesOf(vendor: Vendor, seed: number, processes: number): Story[] {
  return generateStories({ ...SIMULATOR_MODULES[vendor].storyOptions, seed, processes, vendor });
}

/** Each vendor's stories: `processes` of them, from seeds `seed`, `seed + 1`, `seed + 2` in `VENDORS` order. */
export function vendorStories(seed: number, processes: number): Record<Vendor, Story[]> {
  const [taktikal, signinghub, zapsign] = VENDORS.map((vendor, n) => storiesOf(vendor, seed + n, processes));
  return { taktikal: taktikal!, signinghub: signinghub!, zapsign: zapsign! };
}

/** The three vendor simulators on loopback, each serving its vendor's `stories`, in `VENDORS` order. */
export async function startVendorSimulators(stories: Record<Vendor, Story[]>): Promise<VendorSimulator[]> {
  const started: VendorSimulator[] = [];
  for (const vendor of VENDORS)
    started.push(await SIMULATOR_MODULES[vendor].start({ stories: stories[vendor] }));
  return started;
}
