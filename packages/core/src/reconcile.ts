import type { NormalizedEvent } from './event.js';
import { compareEvents, orderEvents } from './order.js';

/** Options of `reconcile`. */
export interface ReconcileOptions {
  /** How far apart a webhook event and the log event of the same happening may be. Default 5 minutes. */
  windowMs?: number;
}

const DEFAULT_WINDOW_MS = 5 * 60_000;

/**
 * Links webhook events to the log events of the same happening (same process, type and signer,
 * within the window; channels must not differ) by setting `confirmedBy`, and links repeated
 * deliveries of one webhook happening to the first. Pure and order-independent. Returns every event
 * (de-duplicated by id, ordered); an unconfirmed webhook event stays as it is, since vendors lose logs.
 */
export function reconcile(
  events: readonly NormalizedEvent[],
  options: ReconcileOptions = {},
): NormalizedEvent[] {
  const windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
  const { events: ordered } = orderEvents(events);
  const logByKey = new Map<string, NormalizedEvent[]>();
  for (const event of ordered) {
    if (event.origin !== 'log') continue;
    const key = happeningKey(event);
    const group = logByKey.get(key);
    if (group) group.push(event);
    else logByKey.set(key, [event]);
  }
  const matched = new Set<string>();
  const firstWebhook = new Map<string, NormalizedEvent[]>();
  return ordered.map((event) => {
    if (event.origin !== 'webhook') return event;
    const { confirmedBy: _stale, ...fresh } = event;
    const key = happeningKey(event);
    const at = instantMs(event.occurredAt);
    const earlier = firstWebhook.get(key) ?? [];
    firstWebhook.set(key, earlier);
    const log = nearest(
      logByKey.get(key) ?? [],
      event,
      at,
      windowMs,
      (candidate) => !matched.has(candidate.id),
    );
    if (log) {
      matched.add(log.id);
      earlier.push(event);
      return { ...fresh, confirmedBy: log.id };
    }
    // A repeat delivery of a happening already seen by webhook: link it to the first delivery.
    const first = nearest(earlier, event, at, windowMs, () => true);
    if (first) return { ...fresh, confirmedBy: first.id };
    earlier.push(event);
    return fresh;
  });
}

/** The default timeline: each happening once (webhook events confirmed by another event left out), ordered. */
export function timeline(
  events: readonly NormalizedEvent[],
  options: ReconcileOptions = {},
): NormalizedEvent[] {
  return reconcile(events, options).filter((event) => event.confirmedBy === undefined);
}

/** True when some event came from a webhook, i.e. reconciliation has something to do. */
export function hasWebhookEvents(events: readonly NormalizedEvent[]): boolean {
  return events.some((event) => event.origin === 'webhook');
}

function happeningKey(event: NormalizedEvent): string {
  return `${event.vendor}\u0000${event.processId}\u0000${event.type}\u0000${event.signerId ?? ''}`;
}

function nearest(
  candidates: readonly NormalizedEvent[],
  event: NormalizedEvent,
  at: number,
  windowMs: number,
  usable: (candidate: NormalizedEvent) => boolean,
): NormalizedEvent | undefined {
  let best: NormalizedEvent | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    if (!usable(candidate)) continue;
    if (event.channel !== undefined && candidate.channel !== undefined && event.channel !== candidate.channel)
      continue;
    const distance = Math.abs(instantMs(candidate.occurredAt) - at);
    if (distance > windowMs) continue;
    if (
      distance < bestDistance ||
      (distance === bestDistance && best && compareEvents(candidate, best) < 0)
    ) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function instantMs(occurredAt: string): number {
  return Date.parse(occurredAt);
}
