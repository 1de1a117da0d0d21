// The deployable server: configured by environment, see README.md.
import { openStore } from '@signtrail/store';
import { pino } from 'pino';
import { createServer } from './create-server.js';
import { storeChoiceFromEnv } from './environment.js';

const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' });
const choice = storeChoiceFromEnv(process.env);
if (choice.ignoredDataDir) logger.warn('DATABASE_URL and SIGNTRAIL_DATA_DIR are both set: using PostgreSQL');
const store = await openStore(choice.options);
const server = createServer({
  store,
  logger,
  syncIntervalMs: Number(process.env.SIGNTRAIL_SYNC_INTERVAL_MS ?? 0),
  webhookPollMs: Number(process.env.SIGNTRAIL_WEBHOOK_POLL_MS ?? 1000),
  processWebhooks: process.env.SIGNTRAIL_PROCESS_WEBHOOKS !== 'false',
  apiKeyCacheMs: Number(process.env.SIGNTRAIL_API_KEY_CACHE_MS ?? 10_000),
  webhookRereadAttempts: Number(process.env.SIGNTRAIL_WEBHOOK_REREAD_ATTEMPTS ?? 60),
});
const { url } = await server.start({
  port: Number(process.env.PORT ?? 8787),
  host: process.env.HOST ?? '127.0.0.1',
});
logger.info({ url, driver: store.driver }, 'listening');
process.stdout.write(`${JSON.stringify({ url })}\n`);

const shutdown = async () => {
  await server.stop();
  await store.close();
  process.exit(0);
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
