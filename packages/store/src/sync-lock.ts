import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { advisoryKey } from './advisory-key.js';
import type { BulkLoader } from './copy-rows.js';
import { type Database, type Db, queryRows } from './database.js';

const RETRY_MS = 200;

/** What `withSyncLock` gives back: the work's result, or nothing when another run holds the lock. */
export type Locked<T> = { acquired: true; value: T } | { acquired: false };

/**
 * Runs `work` while holding the sync lock of (tenant, vendor): a session-level PostgreSQL advisory lock on a
 * session dedicated to the run (so every process on one database agrees), plus `running`, the runs of this
 * store in this process (PGlite is one session, where advisory locks are re-entrant). Without `wait`, a held
 * lock gives `{ acquired: false }` at once; with it, the run polls until the lock is free or `signal` aborts.
 */
export async function withSyncLock<T>(
  database: Database,
  running: Set<string>,
  scope: { tenant: string; vendor: string; wait: boolean; signal?: AbortSignal },
  work: (db: Db, bulk?: BulkLoader) => Promise<T>,
): Promise<Locked<T>> {
  const key = advisoryKey('sync', scope.tenant, scope.vendor);
  const pause = () => sleep(RETRY_MS, undefined, { signal: scope.signal });
  while (running.has(key)) {
    if (!scope.wait) return { acquired: false };
    await pause();
  }
  running.add(key);
  try {
    return await database.withSession(async (db, bulk) => {
      for (;;) {
        const [row] = await queryRows<{ locked: boolean }>(
          db,
          sql`SELECT pg_try_advisory_lock(${key}::bigint) AS locked`,
        );
        if (row?.locked) break;
        if (!scope.wait) return { acquired: false };
        await pause();
      }
      const unlock = () => db.execute(sql`SELECT pg_advisory_unlock(${key}::bigint)`);
      let value: T;
      try {
        value = await work(db, bulk);
      } catch (error) {
        // The session is discarded after a failure, which releases the lock even if this unlock cannot run.
        await unlock().catch(() => undefined);
        throw error;
      }
      await unlock();
      return { acquired: true, value };
    });
  } finally {
    running.delete(key);
  }
}
