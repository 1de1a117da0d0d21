// Shared by the server benchmarks: a store filled with sandbox stories, the API over it, and a load loop.
// The store is a fresh database on PostgreSQL (DATABASE_URL, else 127.0.0.1:5432) when one answers, as a
// deployment would run; else embedded PGlite. BENCH_DRIVER=pglite forces PGlite.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { createServer } from '../../apps/server/dist/index.js';
import { generateStories } from '../../packages/sandbox/dist/index.js';
import { openStore } from '../../packages/store/dist/index.js';

const requireFromServer = createRequire(new URL('../../apps/server/package.json', import.meta.url));
const { Hono } = await import(requireFromServer.resolve('hono'));
const { serve } = await import(requireFromServer.resolve('@hono/node-server'));
const { pino } = await import(requireFromServer.resolve('pino'));
const requireFromStore = createRequire(new URL('../../packages/store/package.json', import.meta.url));
const pg = requireFromStore('pg');

const SERVER_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

/** A throw-away database: a new PostgreSQL database when the server answers, else PGlite in memory. */
async function benchDatabase() {
  if (process.env.BENCH_DRIVER !== 'pglite') {
    const admin = new pg.Client({ connectionString: SERVER_URL, connectionTimeoutMillis: 3000 });
    try {
      await admin.connect();
      const name = `signtrail_bench_${randomBytes(6).toString('hex')}`;
      await admin.query(`CREATE DATABASE ${name}`);
      const url = new URL(SERVER_URL);
      url.pathname = `/${name}`;
      return {
        options: { databaseUrl: url.toString() },
        label: 'PostgreSQL',
        drop: async () => {
          await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          await admin.end();
        },
      };
    } catch {
      await admin.end().catch(() => {});
    }
  }
  return { options: { dataDir: 'memory://' }, label: 'PGlite', drop: async () => {} };
}

/** The window every benchmark query uses. */
export const WINDOW = 'from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z';

/**
 * The API on a throw-away store, with an API key of tenant `bench`. `prepare(store)` fills the store before
 * the server starts; what it returns is `prepared`. `serverOptions` go to `createServer`.
 */
export async function startServerOver(prepare = async () => undefined, serverOptions = {}) {
  const database = await benchDatabase();
  // A throw-away key: connections' credentials are sealed at rest.
  const store = await openStore({ ...database.options, secretKey: randomBytes(32).toString('base64') });
  const prepared = await prepare(store);
  const { key } = await store.createApiKey({ tenant: 'bench' });
  const server = createServer({ store, logger: pino({ level: 'silent' }), ...serverOptions });
  const { url } = await server.start();
  return {
    url,
    prepared,
    store,
    driver: database.label,
    databaseUrl: database.options.databaseUrl,
    headers: { authorization: `Bearer ${key}` },
    close: async () => {
      await server.stop();
      await store.close();
      await database.drop();
    },
  };
}

/** A store with about `events` events of tenant `bench`, the API on it, and an API key. */
export async function startApi(events) {
  const api = await startServerOver(async (store) => {
    let stored = 0;
    for (let seed = 1; stored < events; seed += 1) {
      const batch = generateStories({ seed, processes: 500, processIdPrefix: `s${seed}-` }).flatMap(
        (s) => s.events,
      );
      await store.ingest({ tenant: 'bench', events: batch });
      stored += batch.length;
    }
    return stored;
  });
  return { ...api, stored: api.prepared };
}

/**
 * A bare Hono route answering `answer` (already serialized), or what the async function `answer()` returns:
 * nothing else on the way, no key, no parameters, no logging.
 */
export async function startBare(answer) {
  const app = new Hono();
  app.get('/page', async (c) =>
    c.body(typeof answer === 'string' ? answer : await answer(), 200, { 'content-type': 'application/json' }),
  );
  const server = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((r) => server.close(r)),
  };
}

/** `SELECT 1` through a node-postgres pool on `databaseUrl`: the cost of asking the database anything at all. */
export function selectOne(databaseUrl) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  // Dropping the benchmark database ends idle connections: not an error here.
  pool.on('error', () => {});
  return { query: () => pool.query({ name: 'round_trip', text: 'SELECT 1' }), end: () => pool.end() };
}

/** Requests per second of `connections` concurrent loops fetching `url` for `ms`; throws on any non-200. */
export async function throughput(url, { headers = {}, ms = 4000, connections = 10 } = {}) {
  const deadline = performance.now() + ms;
  let done = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      const response = await fetch(url, { headers });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`HTTP ${response.status} from ${url}`);
      done += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, worker));
  return done / ((performance.now() - started) / 1000);
}
