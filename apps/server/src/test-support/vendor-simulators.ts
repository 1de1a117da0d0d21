import {
  storyOptions as signinghubStoryOptions,
  startSigninghubSimulator,
} from '@signtrail/adapter-signinghub/sandbox';
import {
  startTaktikalSimulator,
  storyOptions as taktikalStoryOptions,
} from '@signtrail/adapter-taktikal/sandbox';
import {
  startZapsignSimulator,
  storyOptions as zapsignStoryOptions,
} from '@signtrail/adapter-zapsign/sandbox';
import { generateStories, type Story } from '@signtrail/sandbox';

/** The vendors the server ships, in the order their simulators start. */
export const VENDORS = ['taktikal', 'signinghub', 'zapsign'] as const;
export type Vendor = (typeof VENDORS)[number];

const storyOptions = {
  taktikal: taktikalStoryOptions,
  signinghub: signinghubStoryOptions,
  zapsign: zapsignStoryOptions,
};

/** Each vendor's stories in its own wire's terms: `processes` of them, from seeds `seed`, `seed + 1`, `seed + 2`. */
export function vendorStories(seed: number, processes: number): Record<Vendor, Story[]> {
  const [taktikal, signinghub, zapsign] = VENDORS.map((vendor, n) =>
    generateStories({ ...storyOptions[vendor], seed: seed + n, processes, vendor }),
  );
  return { taktikal: taktikal!, signinghub: signinghub!, zapsign: zapsign! };
}

/** The three vendor simulators on loopback, each serving its vendor's `stories` (keys in `VENDORS` order). */
export async function startVendorSimulators(stories: Record<Vendor, Story[]>) {
  return {
    taktikal: await startTaktikalSimulator({ stories: stories.taktikal }),
    signinghub: await startSigninghubSimulator({ stories: stories.signinghub }),
    zapsign: await startZapsignSimulator({ stories: stories.zapsign }),
  };
}
