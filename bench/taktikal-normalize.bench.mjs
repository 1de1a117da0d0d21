// taktikal.normalize: normalizing a ~50 MB Taktikal activity response (current API, rendered from
// stories: process wrappers with their activity entries and signees) vs bare JSON.parse of the same bytes.
import { createTaktikalAdapter } from '../packages/adapter-taktikal/dist/index.js';
import { renderTaktikalProcess, storyOptions } from '../packages/adapter-taktikal/dist/sandbox/index.js';
import { storyStream } from '../packages/sandbox/dist/index.js';
import { alternateMedians, printRatio } from './lib/measure.mjs';

const TARGET_BYTES = 50e6;
const parts = [];
let bytes = 2;
for (const story of storyStream({ seed: 4, processes: 1_000_000, ...storyOptions })) {
  const part = JSON.stringify(renderTaktikalProcess(story));
  parts.push(part);
  bytes += part.length + 1;
  if (bytes >= TARGET_BYTES) break;
}
const text = `[${parts.join(',')}]`;
parts.length = 0;
const adapter = createTaktikalAdapter();

let events = 0;
const [ours, floor] = await alternateMedians(
  () => {
    events = adapter.normalize(JSON.parse(text)).events.length;
  },
  () => {
    JSON.parse(text);
  },
);
if (events === 0) throw new Error('no events normalized');
process.stderr.write(`${(text.length / 1e6).toFixed(1)} MB, ${events} events\n`);
printRatio('taktikal.normalize', ours, floor);
