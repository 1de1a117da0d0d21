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
  /** `ok`, `skipped` (another instance held the lock) or an error code. */
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

/** Runs syncs on demand and on an interval; the store's lock keeps instances from double-syncing. */
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

  async function runOne(tenant: string, vendor: string) {
    const status = statusOf(tenant, vendor);
    status.running = true;
    status.lastStartedAt = new Date().toISOString();
    try {
      const connection = await store.getConnection(tenant, vendor);
      if (!connection) return { vendor, error: 'unknown_connection' };
      const source = await options.sources(connection);
      const result = await sync({ store, tenant, source });
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

  async function run(tenant: string, vendor?: string) {
    const vendors =
      vendor !== undefined
        ? [vendor]
        : (await store.listConnections(tenant)).map((connection) => connection.vendor);
    const work = Promise.all(vendors.map((v) => runOne(tenant, v)));
    inFlight.add(work);
    try {
      return await work;
    } finally {
      inFlight.delete(work);
    }
  }

  async function tick() {
    for (const tenant of await options.tenants()) await run(tenant);
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
