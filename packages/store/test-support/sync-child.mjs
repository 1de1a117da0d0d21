// A sync in its own process, on the BUILT store: the parent test kills it (SIGKILL) or races two of them.
// argv[2] is JSON: { databaseUrl?, dataDir?, tenant, stories: StoryOptions, delayMs, batchSize, overlapMs }.
// Prints one JSON line per progress report and a last line { result }.
import { openStore, sync } from '../dist/index.js';
import { lazyStorySource, slowSource } from './story-source.mjs';

const config = JSON.parse(process.argv[2]);
const store = await openStore(
  config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir },
);
const source = slowSource(lazyStorySource(config.stories), config.delayMs);
const write = (line) => process.stdout.write(`${JSON.stringify(line)}\n`);
try {
  const result = await sync({
    store,
    tenant: config.tenant,
    source,
    batchSize: config.batchSize,
    overlapMs: config.overlapMs,
    onProgress: (progress) => write({ progress }),
  });
  write({ result });
} finally {
  await store.close();
}
