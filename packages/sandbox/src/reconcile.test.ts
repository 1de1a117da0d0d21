import { eventId, fold, type NormalizedEvent, timeline } from '@signtrail/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateStories } from './stories.js';

// The story's happenings pushed as webhooks: same happening, another id, a little later.
function asWebhook(event: NormalizedEvent, delayMs: number, delivery: number): NormalizedEvent {
  const at = new Date(Date.parse(event.occurredAt) + delayMs).toISOString().slice(0, 23);
  return {
    ...event,
    id: eventId('sandbox-webhook', event.processId, { seq: event.seq, delivery }),
    occurredAt: `${at}000Z`,
    origin: 'webhook',
  };
}
const happening = (e: NormalizedEvent) => `${e.processId}|${e.type}|${e.signerId ?? ''}|${e.occurredAt}`;

describe('webhooks reconciled with logs (property over sandbox stories)', () => {
  it('any order, repeats, before or after the log: each happening once and the story state', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.func(fc.integer()),
        fc.array(fc.nat(40), { maxLength: 10 }),
        fc.integer({ min: 0, max: 3000 }),
        (seed, order, repeats, delayMs) => {
          const [story] = generateStories({ seed, processes: 1 });
          const log = story!.events;
          const deliveries = log.map((e) => asWebhook(e, delayMs, 0));
          for (const index of repeats) {
            const original = log[index % log.length]!;
            deliveries.push(asWebhook(original, delayMs, 0)); // identical delivery
            deliveries.push(asWebhook(original, delayMs + 500, index + 1)); // a retry, another delivery id
          }
          const all = [...deliveries, ...log]
            .map((e, i) => ({ e, k: order(i) }))
            .sort((a, b) => a.k - b.k)
            .map((x) => x.e);
          expect(timeline(all).map(happening).sort()).toEqual(log.map(happening).sort());
          const state = fold(all);
          const truth = fold(log);
          expect(state.status).toBe(truth.status);
          expect(state.signers).toEqual(truth.signers);
          expect(state.counts).toEqual(truth.counts);
        },
      ),
      { numRuns: 150 },
    );
  });
});
