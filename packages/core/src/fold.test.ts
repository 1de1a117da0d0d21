import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NormalizedEvent } from './event.js';
import { fold, foldByProcess, processStatusRank, signerStatusRank } from './fold.js';
import { eventId } from './id.js';
import { compareEvents } from './order.js';
import { ANOMALY_CODES, type AnomalyCode, processStateSchema } from './state.js';
import { type EventType, TAXONOMY } from './taxonomy.js';

let counter = 0;
function ev(type: EventType, second: number, extra: Partial<NormalizedEvent> = {}): NormalizedEvent {
  counter += 1;
  return {
    id: eventId('memory', 'p1', { n: counter, type, second }),
    vendor: 'memory',
    processId: 'p1',
    type,
    occurredAt: `2024-01-01T00:00:${String(second).padStart(2, '0')}.000000Z`,
    seq: second,
    actor: { kind: 'system' },
    data: {},
    vendorEvent: { type },
    origin: 'log',
    raw: { type, second },
    ...extra,
  };
}
const s = (signerId: string) => ({ signerId });

describe('fold', () => {
  it('folds a happy path: created → invited → viewed → signed → completed', () => {
    const state = fold([
      ev('process.created', 1),
      ev('signer.added', 2, { ...s('a'), data: { signerName: 'Anna', signerEmail: 'anna@example.com' } }),
      ev('signer.invited', 3, { ...s('a'), channel: 'sms' }),
      ev('notification.delivered', 4, s('a')),
      ev('signer.viewed', 5, s('a')),
      ev('signer.signed', 6, { ...s('a'), actor: { kind: 'signer', name: 'Anna' } }),
      ev('process.completed', 7),
      ev('notification.delivered', 8, { data: { recipientRole: 'owner' } }),
    ]);
    expect(processStateSchema.parse(state)).toEqual(state);
    expect(state).toMatchObject({
      status: 'completed',
      createdAt: '2024-01-01T00:00:01.000000Z',
      startedAt: '2024-01-01T00:00:03.000000Z',
      completedAt: '2024-01-01T00:00:07.000000Z',
      signers: [
        {
          signerId: 'a',
          name: 'Anna',
          email: 'anna@example.com',
          status: 'signed',
          signedAt: '2024-01-01T00:00:06.000000Z',
        },
      ],
      counts: { events: 8, signers: 1, signed: 1, other: 0 },
      anomalies: [],
    });
  });

  it('is unknown with no events and ignores `other` for status', () => {
    expect(fold([], { vendor: 'memory', processId: 'x' })).toMatchObject({
      status: 'unknown',
      signers: [],
      anomalies: [],
    });
    expect(fold([ev('other', 1)]).status).toBe('unknown');
  });

  it('never regresses: a view after signing keeps the signer signed', () => {
    const state = fold([ev('signer.signed', 1, s('a')), ev('signer.viewed', 2, s('a'))]);
    expect(state.signers[0]?.status).toBe('signed');
  });

  it('bounce marks a signer failed; a later delivery recovers it', () => {
    const bounced = [ev('signer.invited', 1, s('a')), ev('notification.failed', 2, s('a'))];
    expect(fold(bounced).signers[0]?.status).toBe('failed');
    expect(fold([...bounced, ev('notification.delivered', 3, s('a'))]).signers[0]?.status).toBe('delivered');
  });

  it('a signer declining declines the process', () => {
    const state = fold([ev('signer.invited', 1, s('a')), ev('signer.declined', 2, s('a'))]);
    expect(state.status).toBe('declined');
    expect(state.endedAt).toBe('2024-01-01T00:00:02.000000Z');
  });

  it('applies the vendor status hint only when the log does not reach as far', () => {
    expect(
      fold([ev('signer.invited', 1, s('a'))], { statusHint: 'completed', vendorStatus: 'COMPLETED' }),
    ).toMatchObject({
      status: 'completed',
      vendorStatus: 'COMPLETED',
    });
    expect(fold([ev('process.cancelled', 1)], { statusHint: 'in_progress' }).status).toBe('cancelled');
  });

  it('invents no time for a close only the status hint makes: no completedAt, no endedAt', () => {
    const state = fold([ev('signer.signed', 1, s('a'))], { statusHint: 'completed' });
    expect(state.status).toBe('completed');
    expect(state).not.toHaveProperty('completedAt');
    expect(state).not.toHaveProperty('endedAt');
  });

  const anomalyCases: Record<AnomalyCode, () => NormalizedEvent[]> = {
    event_before_created: () => [ev('signer.added', 1, s('a')), ev('process.created', 2)],
    signed_after_declined: () => [ev('signer.declined', 1, s('a')), ev('signer.signed', 2, s('a'))],
    activity_after_close: () => [ev('process.cancelled', 1), ev('signer.signed', 2, s('a'))],
    completed_with_unsigned_signer: () => [ev('signer.invited', 1, s('a')), ev('process.completed', 2)],
    conflicting_outcome: () => [ev('process.expired', 1), ev('process.completed', 2)],
    duplicate_conflict: () => {
      const one = ev('signer.viewed', 1, s('a'));
      return [one, { ...one, data: { ip: '10.0.0.1' } }];
    },
  };

  it.each(ANOMALY_CODES)('reports %s as an anomaly naming the event', (code) => {
    const events = anomalyCases[code]();
    const state = fold(events);
    const found = state.anomalies.filter((a) => a.code === code);
    expect(found).toHaveLength(1);
    expect(events.map((e) => e.id)).toContain(found[0]!.eventId);
    expect(found[0]!.message.length).toBeGreaterThan(10);
  });

  it("seeds the vendor's roster: a listed signer no event names is pending and blocks a clean completion", () => {
    const roster = [{ signerId: 'a', name: 'Ann', email: 'ann@example.com' }, { signerId: 'b' }];
    const state = fold([ev('signer.signed', 1, s('a')), ev('process.completed', 2)], { signers: roster });
    expect(state.signers).toEqual([
      {
        signerId: 'a',
        name: 'Ann',
        email: 'ann@example.com',
        status: 'signed',
        signedAt: '2024-01-01T00:00:01.000000Z',
      },
      { signerId: 'b', status: 'pending' },
    ]);
    expect(state.counts).toMatchObject({ signers: 2, signed: 1 });
    expect(state.anomalies.map((a) => a.code)).toEqual(['completed_with_unsigned_signer']);
    expect(fold([], { signers: roster }).signers.map((x) => x.status)).toEqual(['pending', 'pending']);
  });

  it('counts identical duplicates once, without an anomaly', () => {
    const one = ev('signer.viewed', 1, s('a'));
    const state = fold([one, structuredClone(one)]);
    expect(state.counts.events).toBe(1);
    expect(state.anomalies).toEqual([]);
  });

  it('a removed signer does not block completion', () => {
    const state = fold([
      ev('signer.added', 1, s('a')),
      ev('signer.removed', 2, s('a')),
      ev('signer.signed', 3, s('b')),
      ev('process.completed', 4),
    ]);
    expect(state.anomalies).toEqual([]);
    expect(state.signers.find((x) => x.signerId === 'a')?.removed).toBe(true);
  });

  it('groups many processes with foldByProcess', () => {
    const states = foldByProcess([
      ev('process.created', 1),
      ev('process.created', 1, { processId: 'p2', id: 'other-id' }),
    ]);
    expect(states.map((x) => x.processId)).toEqual(['p1', 'p2']);
  });
});

// Random processes: a few signers, any taxonomy types, timestamps that often tie.
const signerIds = ['a', 'b', 'c'];
const eventArb = fc.record({
  type: fc.constantFrom(...TAXONOMY),
  second: fc.integer({ min: 0, max: 20 }),
  seq: fc.integer({ min: 0, max: 5 }),
  signer: fc.option(fc.constantFrom(...signerIds), { nil: undefined }),
  role: fc.option(fc.constantFrom('signer', 'owner'), { nil: undefined }),
});
const processArb = fc.array(eventArb, { maxLength: 30 }).map((items) =>
  items.map((item, index) =>
    ev(item.type, item.second, {
      id: `e${index}`,
      seq: item.seq,
      signerId: item.signer,
      data: item.role ? { recipientRole: item.role } : {},
    }),
  ),
);

describe('fold laws (property)', () => {
  it('is order-independent, including with duplicates', () => {
    fc.assert(
      fc.property(processArb, fc.func(fc.integer()), fc.boolean(), (events, order, duplicate) => {
        const input = duplicate ? [...events, ...events.slice(0, 3)] : events;
        const shuffled = input
          .map((e, i) => ({ e, k: order(i) }))
          .sort((x, y) => x.k - y.k)
          .map((x) => x.e);
        expect(fold(shuffled, { vendor: 'memory', processId: 'p1' })).toEqual(
          fold(input, { vendor: 'memory', processId: 'p1' }),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('never moves a process or signer status backwards as events arrive', () => {
    fc.assert(
      fc.property(processArb, (events) => {
        const sorted = [...events].sort(compareEvents);
        let previous = fold([]);
        for (let n = 1; n <= sorted.length; n += 1) {
          const next = fold(sorted.slice(0, n));
          expect(processStatusRank(next.status)).toBeGreaterThanOrEqual(processStatusRank(previous.status));
          for (const signer of previous.signers) {
            const now = next.signers.find((x) => x.signerId === signer.signerId)!;
            expect(signerStatusRank(now.status)).toBeGreaterThanOrEqual(signerStatusRank(signer.status));
          }
          previous = next;
        }
      }),
      { numRuns: 200 },
    );
  });
});
