import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { Pool, PoolClient } from 'pg';
import { advisoryKey } from './advisory-key.js';
import { type BulkLoader, bulkLoaderOf } from './copy-rows.js';

/** A drizzle handle on either driver (or a transaction on it); the whole store is written against this. */
export type Db = PgDatabase<PgQueryResultHKT>;

/** One open database: the shared handle, a way to pin one session, and shutdown. */
export interface Database {
  readonly driver: 'pglite' | 'postgres';
  readonly db: Db;
  /**
   * Runs `fn` on one dedicated session (session-level advisory locks live as long as it), with the session's
   * COPY path where the driver has one (PostgreSQL).
   */
  withSession<T>(fn: (db: Db, bulk?: BulkLoader) => Promise<T>): Promise<T>;
  /**
   * Rows (as arrays) of a hot statement. On PostgreSQL it runs as the prepared statement `name`, so each
   * session parses and plans it once; `name` must always stand for the same `text`.
   */
  queryArrays(name: string, text: string, values: unknown[]): Promise<unknown[][]>;
  close(): Promise<void>;
}

// src/ and dist/ both sit one level below the package root, next to the shipped `drizzle/` folder.
const MIGRATIONS_FOLDER = fileURLToPath(new URL('../drizzle', import.meta.url));
const MIGRATION_LOCK = advisoryKey('migrate');

/** Rows of a raw query, whichever driver ran it (both answer `{ rows }`). */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/** Opens embedded PGlite in `dataDir` (`memory://` for a throw-away one) and applies migrations. */
export async function openPglite(dataDir: string): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir);
  const db = drizzle(client);
  try {
    await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  } catch (error) {
    await client.close();
    throw error;
  }
  return {
    driver: 'pglite',
    db,
    // PGlite is one session in this process: every query already runs on it.
    withSession: (fn) => fn(db),
    queryArrays: async (_name, text, values) =>
      (await client.query<unknown[]>(text, values, { rowMode: 'array' })).rows,
    close: () => client.close(),
  };
}

/** Opens a node-postgres pool on `connectionString` and applies migrations under a lock. */
export async function openPostgres(connectionString: string, poolSize: number): Promise<Database> {
  const { default: pg } = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const { migrate } = await import('drizzle-orm/node-postgres/migrator');
  const pool = new pg.Pool({ connectionString, max: poolSize });
  // An idle client losing its connection (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const withSession: Database['withSession'] = async (fn) => {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      return await fn(drizzle(client), bulkLoaderOf(client));
    } catch (error) {
      broken = error instanceof Error ? error : new Error(String(error));
      throw error;
    } finally {
      // A session that failed may still hold locks or an open transaction: destroy it rather than reuse it.
      client.release(broken);
    }
  };
  try {
    await migrateLocked(pool, async (client) => {
      await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
    });
  } catch (error) {
    await pool.end();
    throw error;
  }
  return {
    driver: 'postgres',
    db: drizzle(pool),
    withSession,
    queryArrays: async (name, text, values) =>
      (await pool.query<unknown[]>({ name, text, values, rowMode: 'array' })).rows,
    close: () => pool.end(),
  };
}

/** Runs `apply` on one session holding the migration lock: two processes starting on a fresh database
 * must not both create the tables; the second finds the work done and applies nothing. */
async function migrateLocked(pool: Pool, apply: (client: PoolClient) => Promise<void>): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK})`);
    try {
      await apply(client);
    } finally {
      await client.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`);
    }
  } finally {
    client.release();
  }
}
