// sync.memory: peak RSS of a sync of SYNC_MEMORY_EVENTS simulated events (default 200 000; the issue's
// figure is 1 000 000) from the in-memory reference adapter over lazily generated sandbox stories into
// PostgreSQL (DATABASE_URL or 127.0.0.1:5432; embedded PGlite when no server answers), against the RSS of a
// bare Node process. Target: peak RSS ≤ 256 MB. Run, events and rate go to stderr.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, sync } from '../packages/store/dist/index.js';
import { lazyStorySource } from '../packages/store/test-support/story-source.mjs';
import { printRatio } from './lib/measure.mjs';

const require = createRequire(new URL('../packages/store/package.json', import.meta.url));
const pg = require('pg');

const EVENTS = Number(process.env.SYNC_MEMORY_EVENTS ?? 200_000);
const EVENTS_PER_STORY = 16; // the sandbox's average
const serverUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const MB = 1024 * 1024;

const floorBytes = Number(
  execFileSync(process.execPath, [
    '-e',
    'process.stdout.write(String(process.resourceUsage().maxRSS * 1024))',
  ]),
);
const target = await openTarget();
const store = await openStore(target.options);
let peak = process.memoryUsage.rss();
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage.rss());
}, 50);
try {
  const started = performance.now();
  const result = await sync({
    store,
    tenant: 'bench',
    source: lazyStorySource({ seed: 1, processes: Math.ceil(EVENTS / EVENTS_PER_STORY) }),
  });
  const seconds = (performance.now() - started) / 1000;
  peak = Math.max(peak, process.resourceUsage().maxRSS * 1024);
  console.error(
    `sync.memory: ${result.events} events, ${result.processes} processes into ${store.driver} in ${seconds.toFixed(1)} s (${Math.round(result.events / seconds)} events/s), peak RSS ${(peak / MB).toFixed(0)} MB`,
  );
  printRatio('sync.memory', peak / MB, floorBytes / MB, 'MB');
} finally {
  clearInterval(sampler);
  await store.close();
  await target.drop();
}

/** A fresh PostgreSQL database when a server answers, else a temporary PGlite directory. */
async function openTarget() {
  const admin = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch {
    console.error('sync.memory: no PostgreSQL server answers; measuring on embedded PGlite');
    const dataDir = mkdtempSync(join(tmpdir(), 'signtrail-bench-'));
    return { options: { dataDir }, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const name = `signtrail_bench_${randomBytes(6).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    options: { databaseUrl: url.toString() },
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
