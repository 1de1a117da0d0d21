// Real databases for tests of the store and of what is built on it: PGlite in memory or in a directory, and
// a fresh PostgreSQL database per test location on the local server (or DATABASE_URL), dropped afterwards.
// No test runner is imported here: the store's runtime does not depend on one.
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { StoreOptions } from './store.js';

/** The two databases a store runs on. */
export type Driver = 'pglite' | 'postgres';

/** The PostgreSQL server tried when DATABASE_URL is not set. */
export const LOCAL_POSTGRES = 'postgres://postgres@127.0.0.1:5432/test';

/** A 32-byte key (base64) sealing connection credentials in test stores; new in every test process. */
export const TEST_SECRET_KEY = randomBytes(32).toString('base64');

/** The parts of a test runner that `announceSkippedPostgres` needs (vitest's `describe` and `it` fit). */
export interface SkipApi {
  describe: { skip(name: string, body: () => void): void };
  it: { skip(name: string, body: () => void): void };
}

/** Which PostgreSQL server the tests of this process use, if any, and what follows from it. */
export interface TestDatabases {
  /** The server to create test databases on: DATABASE_URL (must answer), else the local one if it answers. */
  postgresUrl: string | undefined;
  /** The drivers every test runs on (PostgreSQL only when a server answers). */
  drivers: Driver[];
  /** Makes a missing PostgreSQL server visible: a warning and a skipped suite in the report. */
  announceSkippedPostgres(): void;
}

/**
 * Finds the PostgreSQL server for the tests (an unanswering DATABASE_URL is an error, never a silent skip);
 * `runner` registers the skipped suite that stands for the PostgreSQL runs when there is none.
 */
export async function testDatabases(runner: SkipApi, subject = 'test'): Promise<TestDatabases> {
  const postgresUrl = await reachablePostgres();
  return {
    postgresUrl,
    drivers: postgresUrl ? ['pglite', 'postgres'] : ['pglite'],
    announceSkippedPostgres() {
      if (postgresUrl) return;
      const notice = `PostgreSQL tests SKIPPED: no server at ${LOCAL_POSTGRES} and no DATABASE_URL`;
      console.warn(notice);
      runner.describe.skip(notice, () => {
        runner.it.skip(`runs every ${subject} on PostgreSQL`, () => {});
      });
    },
  };
}

/** Where a test store lives (its `openStore` options, the test secret key included), and how to remove it. */
export interface TestLocation {
  options: StoreOptions;
  drop(): Promise<void>;
}

/** Options of `createLocation`; they concern PGlite only (a PostgreSQL location is always a new database). */
export interface LocationOptions {
  /** A data directory to copy (a migrated template opens in well under a second; initdb takes seconds). */
  template?: string;
  /** A new empty directory instead of memory (for a store reopened or shared with a child process). */
  onDisk?: boolean;
}

/** A new location: PGlite in memory, in a new directory or a copy of `template`; or a new PostgreSQL database. */
export async function createLocation(driver: Driver, options: LocationOptions = {}): Promise<TestLocation> {
  const secretKey = TEST_SECRET_KEY;
  if (driver === 'pglite') {
    if (options.template === undefined && !options.onDisk) {
      return { options: { dataDir: 'memory://', secretKey }, drop: async () => {} };
    }
    const dataDir = mkdtempSync(join(tmpdir(), 'signtrail-test-'));
    if (options.template !== undefined) cpSync(options.template, dataDir, { recursive: true });
    return {
      options: { dataDir, secretKey },
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const server = await reachablePostgres();
  if (!server) throw new Error('no PostgreSQL server');
  const name = `signtrail_test_${randomBytes(6).toString('hex')}`;
  await withClient(server, (admin) => admin.query(`CREATE DATABASE ${name}`));
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    options: { databaseUrl: url.toString(), secretKey },
    drop: async () => {
      await withClient(server, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

// Asked once per process: every test file and location agrees on the answer.
let reachable: Promise<string | undefined> | undefined;

function reachablePostgres(): Promise<string | undefined> {
  reachable ??= probe(process.env.DATABASE_URL?.trim() || undefined);
  return reachable;
}

async function probe(given: string | undefined): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: given ?? LOCAL_POSTGRES, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return given ?? LOCAL_POSTGRES;
  } catch (error) {
    if (given) throw new Error('DATABASE_URL is set but the server does not answer', { cause: error });
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}
