// taktikal.normalize: normalizing a ~50 MB Taktikal activity response (current API, rendered from
// stories: process wrappers with their activity entries and signees) vs bare JSON.parse of the same bytes.
import { createTaktikalAdapter } from '../packages/adapter-taktikal/dist/index.js';
import { renderTaktikalProcess, storyOptions } from '../packages/adapter-taktikal/dist/sandbox/index.js';
import { storyStream } from '../packages/sandbox/dist/index.js';
import { benchNormalize } from './lib/measure.mjs';

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

// The bound hashes what the adapter hashes: core's id text of each entry's number.
await benchNormalize('taktikal.normalize', text, (payload) => adapter.normalize(payload), {
  bound: (payload, emit) => {
    for (const { processKey, activityLog } of payload) {
      const tail = `,"processId":${JSON.stringify(processKey)},"v":1,"vendor":"taktikal"}`;
      for (const entry of activityLog) emit(processKey, `{"key":${entry.id}${tail}`);
    }
  },
});
