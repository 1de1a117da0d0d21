import type { Store } from '@signtrail/store';
import { type SyncResult, sync } from '@signtrail/store';
import type { Logger } from 'pino';
import type { Metrics } from './metrics.js';
import type { SourceFactory } from './vendor-sources.js';
import { errorCode, errorSummary } from './webhook-worker.js';

/** What this instance knows about the runs of one (tenant, vendor). */
export interface SyncRunStatus {
  vendor: string;
  running: boolean;
  lastStartedAt?: string;
  lastFinishedAt?: string;
  /** `ok`, `skipped` (another instance held the lock, or a scheduled run found it walked within the interval) or an error code. */
  lastOutcome?: string;
  lastInserted?: number;
}

/** Options of the sync scheduler. */
export interface SyncSchedulerOptions {
  store: Store;
  sources: SourceFactory;
  metrics: Metrics;
  logger: Logger;
  /** Tenants whose connections are synced in the background. */
  tenants: () => Promise<string[]>;
  /** Interval of background syncs; 0 turns them off. */
  intervalMs: number;
}

/**
 * Runs syncs on demand and on an interval. Instances share the work: the store's lock keeps two walks of a
 * connection from overlapping, and a scheduled run skips a connection walked within the interval.
 */
export interface SyncScheduler {
  /** Syncs the tenant's connections (or one vendor); resolves with each result. */
  run(
    tenant: string,
    vendor?: string,
  ): Promise<Array<{ vendor: string; result?: SyncResult; error?: string }>>;
  status(tenant: string): SyncRunStatus[];
  stop(): Promise<void>;
}

/** Starts the scheduler (its timer only when `intervalMs` > 0). */
export function startSyncScheduler(options: SyncSchedulerOptions): SyncScheduler {
  const { store, metrics, logger } = options;
  const statuses = new Map<string, SyncRunStatus>();
  const inFlight = new Set<Promise<unknown>>();

  function statusOf(tenant: string, vendor: string): SyncRunStatus {
    const key = JSON.stringify([tenant, vendor]);
    let status = statuses.get(key);
    if (!status) {
      status = { vendor, running: false };
      statuses.set(key, status);
    }
    return status;
  }

  /** Syncs one connection; a scheduled run (`freshWithinMs` > 0) skips one walked that recently. */
  async function runOne(tenant: string, vendor: string, freshWithinMs = 0) {
    const status = statusOf(tenant, vendor);
    status.running = true;
    status.lastStartedAt = new Date().toISOString();
    try {
      const connection = await store.getConnection(tenant, vendor);
      if (!connection) return { vendor, error: 'unknown_connection' };
      const source = await options.sources(connection);
      // The instances' timers are not aligned, and the lock only keeps two walks from overlapping: whether the
      // connection was walked within this interval is asked under the lock, by any instance.
      const result = await sync({ store, tenant, source, skipIfWalkedWithinMs: freshWithinMs });
      status.lastOutcome = result.skipped ? 'skipped' : 'ok';
      if (!result.skipped) {
        status.lastInserted = result.inserted;
        metrics.inc(
          'signtrail_events_ingested_total',
          'Events newly stored.',
          { vendor, origin: 'log' },
          result.inserted,
        );
      }
      return { vendor, result };
    } catch (error) {
      status.lastOutcome = errorCode(error);
      metrics.inc('signtrail_vendor_errors_total', 'Failed vendor calls.', {
        vendor,
        code: errorCode(error),
      });
      logger.warn({ vendor, err: errorSummary(error) }, 'sync failed');
      return { vendor, error: errorCode(error) };
    } finally {
      status.running = false;
      status.lastFinishedAt = new Date().toISOString();
    }
  }

  async function run(tenant: string, vendor?: string, freshWithinMs = 0) {
    const vendors =
      vendor !== undefined
        ? [vendor]
        : (await store.listConnections(tenant)).map((connection) => connection.vendor);
    const work = Promise.all(vendors.map((v) => runOne(tenant, v, freshWithinMs)));
    inFlight.add(work);
    try {
      return await work;
    } finally {
      inFlight.delete(work);
    }
  }

  // A walk less than three quarters of an interval old is this interval's (another instance's, or a manual
  // one); the quarter left absorbs timer drift, so the walking instance's own next tick still walks.
  const freshWithinMs = (options.intervalMs * 3) / 4;
  async function tick() {
    for (const tenant of await options.tenants()) await run(tenant, undefined, freshWithinMs);
  }

  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> | undefined;
  if (options.intervalMs > 0) {
    timer = setInterval(() => {
      if (ticking) return;
      ticking = tick()
        .catch((error: unknown) => logger.error({ err: errorSummary(error) }, 'scheduled sync failed'))
        .finally(() => {
          ticking = undefined;
        });
    }, options.intervalMs);
    timer.unref();
  }

  return {
    run,
    status: (tenant) =>
      [...statuses].filter(([key]) => JSON.parse(key)[0] === tenant).map(([, status]) => ({ ...status })),
    async stop() {
      if (timer) clearInterval(timer);
      await ticking;
      await Promise.allSettled([...inFlight]);
    },
  };
}
