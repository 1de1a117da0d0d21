// `pnpm start`: the one-line demo. Embedded store, the three vendor simulators, a demo tenant, a first sync.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemoSimulators } from '@signtrail/sandbox';
import { openStore } from '@signtrail/store';
import { pino } from 'pino';
import { createServer } from './create-server.js';
import { connectSimulators } from './simulator-connections.js';

const TENANT = 'demo';
const dataDir = resolve(process.env.SIGNTRAIL_DATA_DIR ?? './.signtrail/demo');
mkdirSync(dataDir, { recursive: true });

// The demo seals its simulator credentials with a key of its own, kept next to its data.
const keyFile = join(dataDir, 'secret.key');
if (!existsSync(keyFile)) writeFileSync(keyFile, randomBytes(32).toString('base64'), { mode: 0o600 });
const secretKey = process.env.SIGNTRAIL_SECRET_KEY ?? readFileSync(keyFile, 'utf8').trim();

const databaseUrl = process.env.DATABASE_URL?.trim() || undefined;
const store = await openStore(databaseUrl ? { databaseUrl, secretKey } : { dataDir, secretKey });
// Adapters are resolved from this package, which depends on all three.
const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const demo = await startDemoSimulators({ fromDir: packageDir });
const connections = await connectSimulators(store, TENANT, demo.simulators);
const { key } = await store.createApiKey({ tenant: TENANT, name: 'demo' });

const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' });
const server = createServer({ store, logger, syncIntervalMs: 60_000 });
const { url } = await server.start({
  port: Number(process.env.PORT ?? 8787),
  host: process.env.HOST ?? '127.0.0.1',
});
const runs = await server.context.scheduler.run(TENANT);
// Then the vendors' webhooks, as they would arrive live: committed to the inbox, reconciled with the log.
const webhooks = await Promise.all(
  demo.simulators.map(async (simulator, n) => {
    const deliveries = await simulator.sendWebhooks?.(
      `${url}/v1/webhooks/${simulator.vendor}/${connections[n]!.connectionId}`,
    );
    return `${simulator.vendor} ${deliveries?.filter((d) => d.status === 200).length ?? 0}`;
  }),
);

const auth = `-H 'Authorization: Bearer ${key}'`;
process.stdout.write(
  [
    `SignTrail demo server: ${url}  (store: ${store.driver}${store.driver === 'pglite' ? `, ${dataDir}` : ''})`,
    `First sync: ${runs.map((r) => `${r.vendor} ${r.result && !r.result.skipped ? `${r.result.events} events` : (r.error ?? 'skipped')}`).join(', ')}`,
    `Webhook deliveries answered 200: ${webhooks.join(', ')} (repeated deliveries included; GET /v1/inbox lists each once)`,
    `Demo API key: ${key}`,
    `API reference: ${url}/docs   OpenAPI: ${url}/openapi.json`,
    '',
    'Try:',
    `  curl -s ${auth} '${url}/v1/processes?limit=5'`,
    `  curl -s ${auth} '${url}/v1/events?from=2024-01-01T00:00:00Z&to=2030-01-01T00:00:00Z&type=signer.signed&limit=3'`,
    `  curl -s ${auth} '${url}/v1/events/total?from=2024-01-01T00:00:00Z&to=2030-01-01T00:00:00Z&vendor=zapsign'`,
    `  curl -s ${auth} '${url}/v1/inbox?limit=5'`,
    '',
    'Vendor simulators:',
    demo.describe(),
    'Ctrl-C stops everything.',
    '',
  ].join('\n'),
);

const shutdown = async () => {
  await server.stop();
  await demo.close();
  await store.close();
  process.exit(0);
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
