// Real databases for the server tests: PGlite in memory or on disk, and a fresh PostgreSQL database per test
// file on the local server (or DATABASE_URL), dropped afterwards.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoreOptions } from '@signtrail/store';
import pg from 'pg';
import { describe, it } from 'vitest';

export type Driver = 'pglite' | 'postgres';

const LOCAL_SERVER = 'postgres://postgres@127.0.0.1:5432/test';

/** A 32-byte key sealing connection credentials in test stores. */
export const TEST_SECRET_KEY = randomBytes(32).toString('base64');

/** The server to create test databases on: DATABASE_URL (must answer), else the local one if it answers. */
export const postgresUrl: string | undefined = await reachablePostgres();

/** The drivers every server test runs on (PostgreSQL only when a server answers). */
export const drivers: Driver[] = postgresUrl ? ['pglite', 'postgres'] : ['pglite'];

/** Makes a missing PostgreSQL server visible: a notice and a skipped suite in the report. */
export function announceSkippedPostgres(): void {
  if (postgresUrl) return;
  const notice = `PostgreSQL tests SKIPPED: no server at ${LOCAL_SERVER} and no DATABASE_URL`;
  console.warn(notice);
  describe.skip(notice, () => {
    it.skip('runs every server test on PostgreSQL', () => {});
  });
}

/** Where a test store lives, and how to remove it. */
export interface TestLocation {
  options: StoreOptions;
  drop(): Promise<void>;
}

/** A fresh, empty location: a PGlite directory (`onDisk`) or memory, or a new PostgreSQL database. */
export async function createLocation(driver: Driver, { onDisk = false } = {}): Promise<TestLocation> {
  if (driver === 'pglite') {
    if (!onDisk)
      return { options: { dataDir: 'memory://', secretKey: TEST_SECRET_KEY }, drop: async () => {} };
    const dataDir = mkdtempSync(join(tmpdir(), 'signtrail-server-'));
    return {
      options: { dataDir, secretKey: TEST_SECRET_KEY },
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  if (!postgresUrl) throw new Error('no PostgreSQL server');
  const name = `signtrail_server_${randomBytes(6).toString('hex')}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${name}`));
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return {
    options: { databaseUrl: url.toString(), secretKey: TEST_SECRET_KEY },
    drop: async () => {
      await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
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
