import { and, eq, sql } from 'drizzle-orm';
import type { Db } from './database.js';
import { syncCursors } from './schema.js';

/** Where sync stands for one tenant and vendor. */
export interface SyncState {
  /** Everything the vendor logged before this instant is stored (absent before the first complete walk). */
  cursor?: string;
  /** The last walk started: its window, what it committed, and whether it reached its end. */
  walk?: { from: string; to: string; processes: number; events: number; complete: boolean };
  updatedAt: Date;
}

/** The sync state of (tenant, vendor), or `undefined` before the first sync. */
export async function getSyncState(db: Db, tenant: string, vendor: string): Promise<SyncState | undefined> {
  const [row] = await db
    .select()
    .from(syncCursors)
    .where(and(eq(syncCursors.tenantId, tenant), eq(syncCursors.vendor, vendor)));
  if (!row) return undefined;
  const state: SyncState = { updatedAt: row.updatedAt };
  if (row.cursor !== null) state.cursor = row.cursor;
  if (row.walkFrom !== null && row.walkTo !== null) {
    state.walk = {
      from: row.walkFrom,
      to: row.walkTo,
      processes: row.walkProcesses,
      events: row.walkEvents,
      complete: row.cursor === row.walkTo,
    };
  }
  return state;
}

/** Records the start of a walk over [from, to); the cursor does not move. */
export async function startWalk(
  db: Db,
  tenant: string,
  vendor: string,
  from: string,
  to: string,
): Promise<void> {
  const walk = { walkFrom: from, walkTo: to, walkProcesses: 0, walkEvents: 0, updatedAt: sql`now()` };
  await db
    .insert(syncCursors)
    .values({ tenantId: tenant, vendor, ...walk })
    .onConflictDoUpdate({ target: [syncCursors.tenantId, syncCursors.vendor], set: walk });
}

/**
 * Adds a committed batch to the walk's progress, in the batch's own transaction. On the walk's last batch
 * (`completes`) the cursor moves to the walk's end, and only then.
 */
export async function recordBatch(
  tx: Db,
  tenant: string,
  vendor: string,
  batch: { processes: number; events: number; completes: boolean },
): Promise<void> {
  await tx
    .update(syncCursors)
    .set({
      walkProcesses: sql`${syncCursors.walkProcesses} + ${batch.processes}`,
      walkEvents: sql`${syncCursors.walkEvents} + ${batch.events}`,
      ...(batch.completes ? { cursor: sql`${syncCursors.walkTo}` } : {}),
      updatedAt: sql`now()`,
    })
    .where(and(eq(syncCursors.tenantId, tenant), eq(syncCursors.vendor, vendor)));
}
