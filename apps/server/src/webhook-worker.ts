import { type AuditSource, type ProcessInfo, SignTrailError } from '@signtrail/core';
import type { InboxDelivery, InboxOutcome, Store } from '@signtrail/store';
import type { Logger } from 'pino';
import type { Metrics } from './metrics.js';
import type { SourceFactory } from './vendor-sources.js';

/** Options of the webhook inbox worker. */
export interface WebhookWorkerOptions {
  store: Store;
  sources: SourceFactory;
  metrics: Metrics;
  logger: Logger;
  /** How often the inbox is polled besides the nudge after each receipt. */
  pollMs: number;
  /** How long a claimed delivery stays hidden from other workers. */
  leaseMs: number;
  /** False: receive only, leave the inbox to other instances. */
  enabled: boolean;
}

/** A running worker: `nudge` after a receipt, `drain` to process everything pending now, `stop` on shutdown. */
export interface WebhookWorker {
  nudge(): void;
  drain(): Promise<void>;
  stop(): Promise<void>;
}

const BATCH = 20;
const INGESTED = 'signtrail_events_ingested_total';
const INGESTED_HELP = 'Events newly stored.';

/** Processes the durable inbox: parse each delivery, ingest its events, re-read the processes it names. */
export function startWebhookWorker(options: WebhookWorkerOptions): WebhookWorker {
  const { store, logger } = options;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = !options.enabled;

  async function loop(): Promise<void> {
    do {
      again = false;
      let claimed: InboxDelivery[];
      do {
        claimed = await store.claimWebhooks({ limit: BATCH, leaseMs: options.leaseMs });
        for (const delivery of claimed) {
          const outcome = await processDelivery(options, delivery);
          await store.finishWebhook(delivery.id, outcome);
        }
      } while (claimed.length === BATCH && !stopped);
    } while (again && !stopped);
  }

  function nudge(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = loop()
      .catch((error: unknown) => logger.error({ err: errorSummary(error) }, 'webhook worker pass failed'))
      .finally(() => {
        running = undefined;
      });
  }

  const timer = options.enabled ? setInterval(nudge, options.pollMs) : undefined;
  timer?.unref();
  nudge();
  return {
    nudge,
    async drain() {
      nudge();
      while (running) await running;
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await running;
    },
  };
}

async function processDelivery(
  options: WebhookWorkerOptions,
  delivery: InboxDelivery,
): Promise<InboxOutcome> {
  const { store, metrics, logger } = options;
  const log = logger.child({ delivery: delivery.id, vendor: delivery.vendor, attempt: delivery.attempts });
  try {
    const { result } = delivery;
    const counts = await store.ingest({
      tenant: delivery.tenant,
      events: result.events,
      warnings: result.warnings.map((warning) => ({ ...warning, vendor: delivery.vendor })),
    });
    metrics.inc(INGESTED, INGESTED_HELP, { vendor: delivery.vendor, origin: 'webhook' }, counts.inserted);
    if (result.reread.length > 0) {
      const connection = await store.webhookConnection(delivery.vendor, delivery.connectionId);
      const source = connection ? await options.sources(connection) : undefined;
      for (const processId of result.reread) {
        if (source) await reread(options, source, delivery, processId);
      }
    }
    log.info(
      { events: result.events.length, inserted: counts.inserted, rereads: result.reread.length },
      'webhook processed',
    );
    return { status: 'processed', events: counts.inserted };
  } catch (error) {
    log.error({ err: errorSummary(error) }, 'webhook processing failed; retried after the lease');
    return { status: 'failed', error: errorCode(error) };
  }
}

/** Reads one process's log again and stores it; a failure is logged and left to the scheduled sync. */
async function reread(
  options: WebhookWorkerOptions,
  source: AuditSource,
  delivery: InboxDelivery,
  processId: string,
) {
  const { store, metrics, logger } = options;
  if (!source.capabilities.processLog) return;
  try {
    const log = await source.getProcessLog(processId);
    const processInfo: ProcessInfo & { vendor: string } = {
      vendor: delivery.vendor,
      processId: log.processId,
    };
    if (log.vendorStatus !== undefined) processInfo.vendorStatus = log.vendorStatus;
    if (log.statusHint !== undefined) processInfo.statusHint = log.statusHint;
    const counts = await store.ingest({
      tenant: delivery.tenant,
      events: log.events,
      warnings: log.warnings.map((warning) => ({ ...warning, vendor: delivery.vendor, processId })),
      processes: [processInfo],
    });
    metrics.inc(INGESTED, INGESTED_HELP, { vendor: delivery.vendor, origin: 'log' }, counts.inserted);
  } catch (error) {
    metrics.inc('signtrail_vendor_errors_total', 'Failed vendor calls.', {
      vendor: delivery.vendor,
      code: errorCode(error),
    });
    logger.warn(
      { delivery: delivery.id, vendor: delivery.vendor, err: errorSummary(error) },
      'process re-read failed',
    );
  }
}

/** A stable code for an error, never its message (which may quote vendor data). */
export function errorCode(error: unknown): string {
  return error instanceof SignTrailError ? error.code : 'internal';
}

/** What may be logged about an error: its class and code. */
export function errorSummary(error: unknown): { name: string; code: string } {
  return { name: error instanceof Error ? error.name : typeof error, code: errorCode(error) };
}
