import { describe, expect, it } from 'vitest';
import type { NormalizedEvent } from './event.js';
import { fold } from './fold.js';
import { reconcile, timeline } from './reconcile.js';

function ev(
  id: string,
  type: NormalizedEvent['type'],
  at: string,
  extra: Partial<NormalizedEvent> = {},
): NormalizedEvent {
  return {
    id,
    vendor: 'memory',
    processId: 'p1',
    type,
    occurredAt: `2024-01-01T${at}.000000Z`,
    seq: 0,
    actor: { kind: 'system' },
    data: {},
    vendorEvent: { type },
    origin: 'log',
    raw: {},
    ...extra,
  };
}
const hook = { origin: 'webhook' as const };

describe('reconcile', () => {
  it('links a webhook event to the log event of the same happening', () => {
    const log = ev('log-1', 'signer.signed', '10:00:00', { signerId: 'a' });
    const pushed = ev('wh-1', 'signer.signed', '10:00:02', { signerId: 'a', ...hook });
    const result = reconcile([pushed, log]);
    expect(result.find((e) => e.id === 'wh-1')?.confirmedBy).toBe('log-1');
    expect(timeline([pushed, log]).map((e) => e.id)).toEqual(['log-1']);
  });

  it('keeps an unconfirmed webhook event in the timeline (the vendor may have cleared its log)', () => {
    const pushed = ev('wh-1', 'signer.signed', '10:00:02', { signerId: 'a', ...hook });
    expect(timeline([pushed]).map((e) => e.id)).toEqual(['wh-1']);
    expect(fold([pushed]).signers[0]?.status).toBe('signed');
  });

  it('does not link across signers, types, channels or outside the window', () => {
    const log = ev('log-1', 'signer.invited', '10:00:00', { signerId: 'a', channel: 'email' });
    const others = [
      ev('wh-b', 'signer.invited', '10:00:01', { signerId: 'b', channel: 'email', ...hook }),
      ev('wh-sms', 'signer.invited', '10:00:01', { signerId: 'a', channel: 'sms', ...hook }),
      ev('wh-view', 'signer.viewed', '10:00:01', { signerId: 'a', ...hook }),
      ev('wh-late', 'signer.invited', '10:06:00', { signerId: 'a', channel: 'email', ...hook }),
    ];
    expect(reconcile([log, ...others]).filter((e) => e.confirmedBy)).toEqual([]);
  });

  it('collapses a burst of repeated deliveries into one happening, and the log confirms it', () => {
    const burst = ['10:00:00', '10:00:00', '10:00:01'].map((at, n) =>
      ev(`wh-${n}`, 'signer.viewed', at, { signerId: 'a', ...hook }),
    );
    expect(timeline(burst).map((e) => e.id)).toEqual(['wh-0']);
    const log = ev('log-1', 'signer.viewed', '09:59:59', { signerId: 'a' });
    expect(timeline([...burst, log]).map((e) => e.id)).toEqual(['log-1']);
    expect(fold([...burst, log]).counts.events).toBe(1);
  });

  it('matches one-to-one: two logged views and two webhooks give two happenings', () => {
    const events = [
      ev('log-1', 'signer.viewed', '10:00:00', { signerId: 'a' }),
      ev('log-2', 'signer.viewed', '10:01:00', { signerId: 'a' }),
      ev('wh-1', 'signer.viewed', '10:00:01', { signerId: 'a', ...hook }),
      ev('wh-2', 'signer.viewed', '10:01:01', { signerId: 'a', ...hook }),
    ];
    const result = reconcile(events);
    expect(result.find((e) => e.id === 'wh-1')?.confirmedBy).toBe('log-1');
    expect(result.find((e) => e.id === 'wh-2')?.confirmedBy).toBe('log-2');
    expect(timeline(events)).toHaveLength(2);
  });

  it('recomputes links instead of trusting a stale confirmedBy', () => {
    const pushed = ev('wh-1', 'signer.signed', '10:00:02', { signerId: 'a', ...hook, confirmedBy: 'gone' });
    expect(reconcile([pushed])[0]?.confirmedBy).toBeUndefined();
  });
});
