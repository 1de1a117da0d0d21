// store.ingest: rows/s of the store's batched ingest (idempotent INSERT, conflict check, process re-fold)
// against PostgreSQL COPY of the same rows into a table of the same shape (same indexes, generated columns
// and checks), on the same server in the same run. Needs PostgreSQL: DATABASE_URL or 127.0.0.1:5432.
// STORE_INGEST_EVENTS sets the number of events (default 20 000).
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { generateStories } from '../packages/sandbox/dist/index.js';
import { openStore } from '../packages/store/dist/index.js';
import { alternateMedians, printRatio } from './lib/measure.mjs';

const require = createRequire(new URL('../packages/store/package.json', import.meta.url));
const pg = require('pg');
const { from: copyFrom } = require('pg-copy-streams');

const TARGET_EVENTS = Number(process.env.STORE_INGEST_EVENTS ?? 20_000);
const BATCH = 1000;
const RUNS = 5;
const serverUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

const admin = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 3000 });
try {
  await admin.connect();
} catch {
  console.log(`store.ingest: SKIPPED (no PostgreSQL server at ${new URL(serverUrl).host}; set DATABASE_URL)`);
  process.exit(0);
}
const name = `signtrail_bench_${randomBytes(6).toString('hex')}`;
await admin.query(`CREATE DATABASE ${name}`);
const url = new URL(serverUrl);
url.pathname = `/${name}`;

// Batches hold whole processes, at least BATCH events each, as `sync` commits them.
const events = [];
const batches = [];
let batch = [];
for (const story of generateStories({ seed: 8, processes: Math.ceil(TARGET_EVENTS / 16) })) {
  batch.push(...story.events);
  events.push(...story.events);
  if (batch.length >= BATCH) {
    batches.push(batch);
    batch = [];
  }
  if (events.length >= TARGET_EVENTS) break;
}
if (batch.length > 0) batches.push(batch);

const store = await openStore({ databaseUrl: url.toString() });
const client = new pg.Client({ connectionString: url.toString() });
await client.connect();
try {
  await client.query('CREATE TABLE events_copy (LIKE events INCLUDING ALL)');
  // Alternate the two, so load from elsewhere on the machine falls on both alike.
  const [ours, floor] = await alternateMedians(
    {
      reset: () => client.query('TRUNCATE events, process_states, event_anomalies, ingestion_warnings'),
      run: async () => {
        for (const events of batches) await store.ingest({ tenant: 'bench', events });
      },
    },
    { reset: () => client.query('TRUNCATE events_copy'), run: () => copyRows(client, events) },
    { runs: RUNS },
  );
  const rate = (ms) => (events.length * 1000) / ms;
  printRatio('store.ingest', rate(ours), rate(floor), 'rows/s');
} finally {
  await client.end();
  await store.close();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}

/** COPY … FROM STDIN of the same columns the store writes, in COPY's text format. */
async function copyRows(db, rows) {
  const columns =
    'tenant_id, id, vendor, process_id, type, occurred_at, seq, actor_kind, actor_email, actor_name, actor_id, signer_id, document_id, channel, data, vendor_event, origin, raw, served_json';
  const stream = db.query(copyFrom(`COPY events_copy (${columns}) FROM STDIN`));
  const lines = function* () {
    for (const e of rows) {
      const values = [
        'bench',
        e.id,
        e.vendor,
        e.processId,
        e.type,
        e.occurredAt,
        String(e.seq),
        e.actor.kind,
        e.actor.email,
        e.actor.name,
        e.actor.id,
        e.signerId,
        e.documentId,
        e.channel,
        JSON.stringify(e.data),
        JSON.stringify(e.vendorEvent),
        e.origin,
        JSON.stringify(e.raw),
        // The store renders each event's served JSON as it writes it: the floor writes a text of the same size.
        JSON.stringify({ ...e, confirmedBy: undefined }),
      ];
      yield `${values.map(copyText).join('\t')}\n`;
    }
  };
  await pipeline(Readable.from(lines()), stream);
}

function copyText(value) {
  if (value === undefined || value === null) return '\\N';
  return value.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]);
}
