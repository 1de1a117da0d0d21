// Real databases for the store tests: PGlite directories, and a fresh PostgreSQL database per test file
// on the local server (or DATABASE_URL), dropped afterwards.
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, inject, it } from 'vitest';
import { openStore, type Store, type StoreOptions } from '../index.js';

export type Driver = 'pglite' | 'postgres';

const LOCAL_SERVER = 'postgres://postgres@127.0.0.1:5432/test';

/** The server to create test databases on: DATABASE_URL (must answer), else the local one if it answers. */
export const postgresUrl: string | undefined = await reachablePostgres();

/** The drivers every store test runs on (PostgreSQL only when a server answers). */
export const drivers: Driver[] = postgresUrl ? ['pglite', 'postgres'] : ['pglite'];

/** Makes a missing PostgreSQL server visible: a notice and a skipped suite in the report. */
export function announceSkippedPostgres(): void {
  if (postgresUrl) return;
  const notice = `PostgreSQL tests SKIPPED: no server at ${LOCAL_SERVER} and no DATABASE_URL`;
  console.warn(notice);
  describe.skip(notice, () => {
    it.skip('runs every store test on PostgreSQL', () => {});
  });
}

/** Where a test store lives, and how to remove it. */
export interface TestLocation {
  options: StoreOptions;
  drop(): Promise<void>;
}

/**
 * A new location with no data: a PGlite directory (a copy of the migrated template, or empty when `fresh`)
 * or a new PostgreSQL database (always fresh).
 */
export async function createLocation(driver: Driver, { fresh = false } = {}): Promise<TestLocation> {
  if (driver === 'pglite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'signtrail-store-'));
    if (!fresh) cpSync(inject('pgliteTemplate'), dataDir, { recursive: true });
    return { options: { dataDir }, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  if (!postgresUrl) throw new Error('no PostgreSQL server');
  const name = `signtrail_test_${randomBytes(6).toString('hex')}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${name}`));
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return {
    options: { databaseUrl: url.toString() },
    drop: async () => {
      await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/** One store per test file on `driver`, opened before and removed after the file's tests. */
export function useStore(
  driver: Driver,
  options: StoreOptions = {},
): { store: Store; location: TestLocation } {
  const context = {} as { store: Store; location: TestLocation };
  beforeAll(async () => {
    context.location = await createLocation(driver);
    context.store = await openStore({ ...context.location.options, ...options });
  });
  afterAll(async () => {
    await context.store?.close();
    await context.location?.drop();
  });
  return context;
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function reachablePostgres(): Promise<string | undefined> {
  const given = process.env.DATABASE_URL?.trim() || undefined;
  const client = new pg.Client({ connectionString: given ?? LOCAL_SERVER, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return given ?? LOCAL_SERVER;
  } catch (error) {
    if (given) throw new Error('DATABASE_URL is set but the server does not answer', { cause: error });
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}
