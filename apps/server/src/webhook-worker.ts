import { type AuditSource, SignTrailError, VendorError } from '@signtrail/core';
import { type InboxDelivery, type InboxOutcome, processInfoOf, type Store } from '@signtrail/store';
import type { Logger } from 'pino';
import type { ConnectionAdapters } from './connection-adapters.js';
import type { Metrics } from './metrics.js';

/** Options of the webhook inbox worker. */
export interface WebhookWorkerOptions {
  store: Store;
  /** The adapters re-reads go through (shared with the webhook route: one vendor login per connection). */
  adapters: ConnectionAdapters;
  metrics: Metrics;
  logger: Logger;
  /** How often the inbox is polled besides the nudge after each receipt. */
  pollMs: number;
  /** How long a claimed delivery stays hidden from other workers. */
  leaseMs: number;
  /** False: receive only, leave the inbox to other instances. */
  enabled: boolean;
  /** Claims after which a re-read that keeps failing is given up: processed with error `reread_gave_up`. */
  maxAttempts: number;
}

/** A running worker: `nudge` after a receipt, `drain` to process everything pending now, `stop` on shutdown. */
export interface WebhookWorker {
  nudge(): void;
  /**
   * Stores a delivery just committed to the inbox: its own events at once, ahead of the queue (where earlier
   * deliveries may be waiting on vendor re-reads), then a nudge. Idempotent with the worker's own pass.
   */
  received(delivery: ReceivedDelivery): void;
  /** Resolves once a pass that began after the call has ended (deliveries whose re-read failed stay leased). */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

/** What `received` needs of a delivery. */
export type ReceivedDelivery = Pick<InboxDelivery, 'id' | 'tenant' | 'vendor' | 'result'>;

const BATCH = 20;
const INGESTED = 'signtrail_events_ingested_total';
const INGESTED_HELP = 'Events newly stored.';
const GAVE_UP = 'signtrail_webhook_rereads_given_up_total';
const GAVE_UP_HELP = 'Webhook deliveries whose re-read kept failing until the attempts ran out.';
const GAVE_UP_CODE = 'reread_gave_up';

/** Processes the durable inbox: parse each delivery, ingest its events, re-read the processes it names. */
export function startWebhookWorker(options: WebhookWorkerOptions): WebhookWorker {
  const { store, logger } = options;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = !options.enabled;
  // Passes are counted so `drain` can wait for one of its own: waiting for the loop to go idle would never end
  // while failing re-reads come back after each lease and the poll keeps asking for another pass.
  let passesStarted = 0;
  let passesEnded = 0;
  let passEnded = signal();
  // Early stores of just-received deliveries, awaited by `drain` and `stop`.
  const early = new Set<Promise<void>>();

  async function loop(): Promise<void> {
    do {
      again = false;
      passesStarted += 1;
      let claimed: InboxDelivery[];
      try {
        do {
          claimed = await store.claimWebhooks({ limit: BATCH, leaseMs: options.leaseMs });
          for (const delivery of claimed) {
            const outcome = await processDelivery(options, delivery);
            await store.finishWebhook(delivery.id, outcome);
          }
        } while (claimed.length === BATCH && !stopped);
      } finally {
        passesEnded += 1;
        passEnded.fire();
        passEnded = signal();
      }
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
    received(delivery) {
      if (!stopped && delivery.result.events.length > 0) {
        const work: Promise<void> = storeEvents(options, delivery, false)
          .then(
            () => {},
            (error: unknown) =>
              logger.warn(
                { delivery: delivery.id, err: errorSummary(error) },
                'early store of webhook events failed; the worker stores them',
              ),
          )
          .finally(() => early.delete(work));
        early.add(work);
      }
      nudge();
    },
    async drain() {
      await Promise.all(early);
      const own = passesStarted + 1;
      while (passesEnded < own && !stopped) {
        // A loop about to exit ignores the nudge: then the next round starts a pass of its own.
        if (!running) nudge();
        await Promise.race([passEnded.fired, running]);
      }
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await Promise.all([running, ...early]);
    },
  };
}

/** A one-shot event: `fired` resolves on the first `fire()`. */
function signal(): { fired: Promise<void>; fire(): void } {
  let fire = () => {};
  const fired = new Promise<void>((resolve) => {
    fire = resolve;
  });
  return { fired, fire };
}

/** Ingests a delivery's events and re-reads its processes; how it ended decides whether it is claimed again. */
async function processDelivery(
  options: WebhookWorkerOptions,
  delivery: InboxDelivery,
): Promise<InboxOutcome> {
  const { metrics, logger } = options;
  const log = logger.child({ delivery: delivery.id, vendor: delivery.vendor, attempt: delivery.attempts });
  let inserted: number;
  let failure: RereadFailure | undefined;
  try {
    inserted = await storeEvents(options, delivery, true);
    failure = await rereadAll(options, delivery);
  } catch (error) {
    log.error({ err: errorSummary(error) }, 'webhook processing failed; retried after the lease');
    return { status: 'failed', error: errorCode(error) };
  }
  // The inbox row counts the delivery's events, all stored by now (maybe early, on receipt): not only new ones.
  const stored = delivery.result.events.length;
  const summary = { events: stored, inserted, rereads: delivery.result.reread.length };
  if (failure?.retryable) {
    // Taktikal and SigningHub deliveries are only re-read triggers: finishing one unread would lose it.
    if (delivery.attempts < options.maxAttempts) {
      log.warn({ ...summary, code: failure.code }, 'process re-read failed; retried after the lease');
      return { status: 'failed', events: stored, error: failure.code };
    }
    metrics.inc(GAVE_UP, GAVE_UP_HELP, { vendor: delivery.vendor });
    log.error({ ...summary, code: failure.code }, 'process re-read given up; left to the scheduled sync');
    return { status: 'processed', events: stored, error: GAVE_UP_CODE };
  }
  log.info({ ...summary, ...(failure && { code: failure.code }) }, 'webhook processed');
  return { status: 'processed', events: stored, ...(failure && { error: failure.code }) };
}

/**
 * Stores a delivery's own events, and its warnings with `withWarnings`; returns how many events were new.
 * Idempotent on event id: a delivery stored early on receipt, or retried after a failed re-read, stores its
 * events once. The early store leaves the warnings to the worker, which would otherwise count them twice.
 */
async function storeEvents(
  options: WebhookWorkerOptions,
  delivery: ReceivedDelivery,
  withWarnings: boolean,
): Promise<number> {
  const { result } = delivery;
  const warnings = withWarnings ? result.warnings : [];
  const counts = await options.store.ingest({
    tenant: delivery.tenant,
    events: result.events,
    warnings: warnings.map((warning) => ({ ...warning, vendor: delivery.vendor })),
  });
  options.metrics.inc(
    INGESTED,
    INGESTED_HELP,
    { vendor: delivery.vendor, origin: 'webhook' },
    counts.inserted,
  );
  return counts.inserted;
}

/** The first failed re-read of a delivery: its code and whether asking again may succeed. */
interface RereadFailure {
  code: string;
  retryable: boolean;
}

/**
 * Re-reads each process a delivery names, once. Stops at the first retryable failure (a vendor that is down
 * or throttling fails the rest too; the retry reads them all again); a permanent one is returned after the rest.
 */
async function rereadAll(
  options: WebhookWorkerOptions,
  delivery: InboxDelivery,
): Promise<RereadFailure | undefined> {
  const { store, metrics, logger } = options;
  const processIds = [...new Set(delivery.result.reread)];
  if (processIds.length === 0) return undefined;
  // A connection deleted since the receipt leaves nothing to read with.
  const connection = await store.webhookConnection(delivery.vendor, delivery.connectionId);
  if (!connection) return undefined;
  const source = await options.adapters(connection);
  if (!source.capabilities.processLog) return undefined;
  let permanent: RereadFailure | undefined;
  for (const processId of processIds) {
    try {
      await reread(options, source, delivery, processId);
    } catch (error) {
      const failure = { code: errorCode(error), retryable: isRetryable(error) };
      metrics.inc('signtrail_vendor_errors_total', 'Failed vendor calls.', {
        vendor: delivery.vendor,
        code: failure.code,
      });
      logger.warn(
        {
          delivery: delivery.id,
          vendor: delivery.vendor,
          err: errorSummary(error),
          retryable: failure.retryable,
        },
        'process re-read failed',
      );
      if (failure.retryable) return failure;
      permanent ??= failure;
    }
  }
  return permanent;
}

/** Reads one process's log again and stores it. */
async function reread(
  options: WebhookWorkerOptions,
  source: AuditSource,
  delivery: InboxDelivery,
  processId: string,
): Promise<void> {
  const { store, metrics } = options;
  const log = await source.getProcessLog(processId);
  const counts = await store.ingest({
    tenant: delivery.tenant,
    events: log.events,
    warnings: log.warnings.map((warning) => ({ ...warning, vendor: delivery.vendor, processId })),
    processes: [processInfoOf(log)],
  });
  metrics.inc(INGESTED, INGESTED_HELP, { vendor: delivery.vendor, origin: 'log' }, counts.inserted);
}

/** Whether asking again may succeed: vendor 5xx, 429, network and timeouts, and any unexpected failure. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof VendorError) return error.isRetryable;
  return !(error instanceof SignTrailError);
}

/** A stable code for an error, never its message (which may quote vendor data). */
export function errorCode(error: unknown): string {
  return error instanceof SignTrailError ? error.code : 'internal';
}

/** What may be logged about an error: its class and code. */
export function errorSummary(error: unknown): { name: string; code: string } {
  return { name: error instanceof Error ? error.name : typeof error, code: errorCode(error) };
}
