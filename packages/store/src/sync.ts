import {
  type ActivityQuery,
  type AuditSource,
  InvalidOptionsError,
  type NormalizedEvent,
  registerSource,
} from '@signtrail/core';
import { instant } from './event-filters.js';
import {
  type IngestCounts,
  type IngestProcessInfo,
  type IngestWarning,
  ingestInTransaction,
  processInfoOf,
} from './ingest.js';
import { tenants } from './schema.js';
import { type Store, storeInternals } from './store.js';
import { withSyncLock } from './sync-lock.js';
import { getSyncState, recordBatch, startWalk } from './sync-state.js';

/** Options of `sync`. */
export interface SyncOptions {
  store: Store;
  tenant: string;
  /** The adapter to read from (any `AuditSource`, specification v1). */
  source: AuditSource;
  /** Defaults to `source.vendor`; must equal it when given. */
  vendor?: string;
  /** Start of the first walk, when no cursor is stored yet. Default: the Unix epoch. */
  from?: string | Date;
  /** End of the walk. Default: now. */
  to?: string | Date;
  /** How far before the cursor a walk starts again (late records, shifted pages). Default 1 hour. */
  overlapMs?: number;
  /** Events per transaction; a process is never split. Default 500. */
  batchSize?: number;
  /** Wait for a running sync of the same tenant and vendor to finish instead of skipping. Default false. */
  wait?: boolean;
  /**
   * Skip when the last complete walk reached to less than this long before `to`: checked under the lock, so
   * instances on timers of their own share one walk per interval. Default 0 (never skip for that).
   */
  skipIfWalkedWithinMs?: number;
  /** Vendor-specific filters passed to `listActivity`. */
  filters?: ActivityQuery['filters'];
  /** Expected size of the walk when the caller knows it (for an ETA); passed through to progress. */
  total?: { processes?: number; events?: number };
  onProgress?: (progress: SyncProgress) => void;
  signal?: AbortSignal;
}

/** Running totals of a walk. */
export interface SyncTotals extends IngestCounts {
  tenant: string;
  vendor: string;
  from: string;
  to: string;
  /** Processes read from the source (all of them committed). */
  processes: number;
  /** Events read from the source (all of them committed). */
  events: number;
  batches: number;
  warnings: number;
  elapsedMs: number;
  eventsPerSecond: number;
  total?: { processes?: number; events?: number };
}

/** The totals reported at the start of a walk, after every committed batch, and at its end. */
export interface SyncProgress extends SyncTotals {
  phase: 'start' | 'batch' | 'done';
}

/** What a sync did; `skipped` when another run of the same tenant and vendor held the lock. */
export type SyncResult =
  | { skipped: true; reason: string }
  | (SyncTotals & {
      skipped: false;
      /** The previous walk had stopped before its end (crash, error, abort): this one covered it again. */
      resumed: boolean;
    });

const DEFAULT_OVERLAP_MS = 3_600_000;
const DEFAULT_BATCH_SIZE = 500;

/**
 * Reads the source's activity since the stored cursor (minus the overlap) up to now and stores it in
 * batches, each batch in one transaction with the walk's progress. The cursor moves to the walk's end in
 * the transaction of the last batch, so a crash at any point leaves it where the previous complete walk
 * ended and a rerun walks that window again; idempotent inserts make the repeat harmless.
 */
export async function sync(options: SyncOptions): Promise<SyncResult> {
  const { store, tenant, signal } = options;
  const source = registerSource(options.source);
  const vendor = options.vendor ?? source.vendor;
  if (vendor !== source.vendor) {
    throw new InvalidOptionsError(
      'vendor',
      `is ${JSON.stringify(vendor)} but the source reads ${source.vendor}`,
    );
  }
  if (typeof tenant !== 'string' || tenant.length === 0) {
    throw new InvalidOptionsError('tenant', 'must be a non-empty string');
  }
  const overlapMs = options.overlapMs ?? DEFAULT_OVERLAP_MS;
  if (!Number.isFinite(overlapMs) || overlapMs < 0) {
    throw new InvalidOptionsError('overlapMs', 'must be a non-negative number of milliseconds');
  }
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new InvalidOptionsError('batchSize', 'must be a positive integer');
  }
  const to = instant('to', options.to ?? new Date());
  const firstFrom = instant('from', options.from ?? new Date(0));
  signal?.throwIfAborted();

  const { database, runningSyncs } = storeInternals(store);
  const locked = await withSyncLock(
    database,
    runningSyncs,
    { tenant, vendor, wait: options.wait ?? false, ...(signal ? { signal } : {}) },
    async (db, bulk) => {
      await db.insert(tenants).values({ id: tenant }).onConflictDoNothing();
      const before = await getSyncState(db, tenant, vendor);
      const walked = before?.walk?.complete
        ? Date.parse(to) - Date.parse(before.walk.to)
        : Number.POSITIVE_INFINITY;
      if (walked < (options.skipIfWalkedWithinMs ?? 0)) {
        return { skipped: true as const, reason: `walked ${Math.round(walked / 1000)} s ago` };
      }
      const from = before?.cursor
        ? instant('from', new Date(Date.parse(before.cursor) - overlapMs))
        : firstFrom;
      const resumed = before?.walk !== undefined && !before.walk.complete;
      const started = performance.now();
      const progress: SyncTotals = {
        tenant,
        vendor,
        from,
        to,
        processes: 0,
        events: 0,
        batches: 0,
        warnings: 0,
        inserted: 0,
        duplicates: 0,
        conflicts: 0,
        refolded: 0,
        elapsedMs: 0,
        eventsPerSecond: 0,
        ...(options.total ? { total: options.total } : {}),
      };
      const report = (phase: SyncProgress['phase']) => {
        progress.elapsedMs = performance.now() - started;
        progress.eventsPerSecond = progress.elapsedMs > 0 ? (progress.events * 1000) / progress.elapsedMs : 0;
        options.onProgress?.({ phase, ...progress });
      };
      if (from >= to) return { ...progress, skipped: false as const, resumed };

      await startWalk(db, tenant, vendor, from, to);
      report('start');
      let batch: NormalizedEvent[] = [];
      let infos: IngestProcessInfo[] = [];
      let warnings: IngestWarning[] = [];
      const commit = async (completes: boolean) => {
        const counts = await db.transaction(async (tx) => {
          const input = { tenant, events: batch, warnings, processes: infos };
          const result = await ingestInTransaction(tx, input, bulk);
          await recordBatch(tx, tenant, vendor, { processes: infos.length, events: batch.length, completes });
          return result;
        });
        progress.processes += infos.length;
        progress.events += batch.length;
        progress.warnings += warnings.length;
        progress.batches += 1;
        progress.inserted += counts.inserted;
        progress.duplicates += counts.duplicates;
        progress.conflicts += counts.conflicts;
        progress.refolded += counts.refolded;
        batch = [];
        infos = [];
        warnings = [];
        report(completes ? 'done' : 'batch');
      };

      const query: ActivityQuery = { from, to, ...(signal ? { signal } : {}) };
      if (options.filters) query.filters = options.filters;
      for await (const log of source.listActivity(query)) {
        signal?.throwIfAborted();
        for (const event of log.events) batch.push(event);
        infos.push(processInfoOf(log));
        for (const warning of log.warnings) warnings.push({ ...warning, vendor, processId: log.processId });
        if (batch.length >= batchSize) await commit(false);
      }
      signal?.throwIfAborted();
      await commit(true);
      return { ...progress, skipped: false as const, resumed };
    },
  );
  if (locked.acquired) return locked.value;
  return { skipped: true, reason: `another sync of tenant ${tenant}, vendor ${vendor} is running` };
}
