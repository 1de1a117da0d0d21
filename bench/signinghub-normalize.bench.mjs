// signinghub.normalize: normalizing a large SigningHub workflow-history export vs bare JSON.parse of the
// same bytes. Payload: 30 000 packages' logs (`GET /v3/packages/{id}/log` answers rendered from stories in
// SigningHub's wire format), about 50 MB and 170 000 actions. Target: ratio ≤ 2.0.
import { createSigninghubAdapter } from '../packages/adapter-signinghub/dist/index.js';
import { renderSigninghubLog, storyOptions } from '../packages/adapter-signinghub/dist/sandbox/index.js';
import { storyStream } from '../packages/sandbox/dist/index.js';
import { benchNormalize } from './lib/measure.mjs';

const logs = [];
for (const story of storyStream({ seed: 5, processes: 30_000, ...storyOptions })) {
  logs.push(renderSigninghubLog(story.events));
}
const text = JSON.stringify(logs);
logs.length = 0;
const adapter = createSigninghubAdapter();

// The bound hashes what the adapter hashes: core's id text of each action's log_id.
await benchNormalize('signinghub.normalize', text, (payload) => adapter.normalize(payload), {
  bound: (payload, emit) => {
    for (const { package_id: packageId, actions } of payload) {
      const processId = String(packageId);
      const tail = `,"processId":${JSON.stringify(processId)},"v":1,"vendor":"signinghub"}`;
      for (const action of actions) emit(processId, `{"key":${action.log_id}${tail}`);
    }
  },
});
