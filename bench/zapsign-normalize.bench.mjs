// zapsign.normalize: normalizing a ~32 MB ZapSign signer-log export (many documents, each its listing entry
// plus its signer log, sentences in Portuguese, Spanish and English, rendered from stories) vs bare
// JSON.parse of the same bytes. Floor and ours alternate run by run, so load on a shared machine hits both.
import { normalizeZapsign } from '../packages/adapter-zapsign/dist/index.js';
import {
  renderListedDocument,
  renderZapsign,
  storyOptions,
} from '../packages/adapter-zapsign/dist/sandbox/index.js';
import { storyStream } from '../packages/sandbox/dist/index.js';
import { benchNormalize } from './lib/measure.mjs';

const TARGET_BYTES = 32e6;
const LANGUAGES = ['pt', 'es', 'en'];
const ROUNDS = 9;

const parts = [];
let bytes = 2;
for (const story of storyStream({ seed: 6, processes: 1_000_000, ...storyOptions })) {
  const document = {
    ...renderListedDocument(story, parts.length + 1),
    ...renderZapsign(story.events, LANGUAGES[parts.length % LANGUAGES.length]),
  };
  const part = JSON.stringify(document);
  parts.push(part);
  bytes += part.length + 1;
  if (bytes >= TARGET_BYTES) break;
}
const text = `[${parts.join(',')}]`;
parts.length = 0;

// The bound hashes what the adapter hashes (ZapSign gives no entry id): the entry's own fields, unescaped,
// with no repeat counting.
await benchNormalize('zapsign.normalize', text, normalizeZapsign, {
  runs: ROUNDS,
  bound: (payload, emit) => {
    for (const { token, signer_log: log } of payload) {
      const tail = `},"processId":"${token}","v":1,"vendor":"zapsign"}`;
      for (const { time, user, event, description } of log) {
        emit(
          token,
          `{"key":{"description":"${description}","event":"${event}","n":0,"time":"${time}","user":"${user}"${tail}`,
        );
      }
    }
  },
});
