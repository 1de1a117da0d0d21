import { eventId, fold, normalizeTimestamp, orderEvents, VendorSchemaError } from '@signtrail/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import activityLog from './__fixtures__/activity-log.json' with { type: 'json' };
import legacyLog from './__fixtures__/activity-log-legacy.json' with { type: 'json' };
import { normalizeTaktikal } from './normalize-taktikal.js';
import { processFault, processSchema, type TaktikalProcess } from './taktikal-api.js';

const copy = <T>(value: T): T => structuredClone(value);
const DOC_KEY = 'sp231f52f87d6f4caaa2e29ecac92d055b';
const DOC_SIGNEE = 'si7abef56540bd49f9a9b8a33969a9cf8c';
const signee = { signerName: 'Signee Number One', signerEmail: 'signeeOne@example.com' };

describe('normalizeTaktikal: current API documentation example', () => {
  const payload = copy(activityLog);
  const result = normalizeTaktikal(payload);
  const entries = payload[0]!.activityLog;

  it('gives the documented events, one per entry, in order', () => {
    const core = { kind: 'system', name: 'Taktikal.Core' };
    const owner = { kind: 'user', email: 'test@example.com' };
    const file = { fileName: 'demo_doc-drop-and-sign-small.pdf' };
    expect(result.events.map(({ id, raw, vendorEvent, vendor, origin, processId, ...rest }) => rest)).toEqual(
      [
        {
          type: 'process.created',
          occurredAt: '2019-11-08T11:03:49.070000Z',
          seq: 1,
          actor: owner,
          data: file,
        },
        {
          type: 'signer.added',
          occurredAt: '2019-11-08T11:03:49.120000Z',
          seq: 2,
          actor: core,
          signerId: DOC_SIGNEE,
          data: signee,
        },
        {
          type: 'signer.invited',
          occurredAt: '2019-11-08T11:03:49.407000Z',
          seq: 3,
          actor: core,
          signerId: DOC_SIGNEE,
          channel: 'sms',
          data: signee,
        },
        {
          type: 'process.started',
          occurredAt: '2019-11-08T11:03:49.423000Z',
          seq: 4,
          actor: owner,
          data: file,
        },
        {
          type: 'notification.delivered',
          occurredAt: '2019-11-08T11:04:04.703000Z',
          seq: 5,
          actor: core,
          signerId: DOC_SIGNEE,
          channel: 'sms',
          data: { ...signee, recipientRole: 'signer', deliveryStatus: 'delivered' },
        },
        {
          type: 'signer.signed',
          occurredAt: '2019-11-08T11:06:01.560000Z',
          seq: 6,
          actor: {
            kind: 'signer',
            id: DOC_SIGNEE,
            name: 'Signee Number One',
            email: 'signeeOne@example.com',
          },
          signerId: DOC_SIGNEE,
          data: { ...signee, signatureType: 'Qualified', userAgent: 'Mozilla/5.0' },
        },
        {
          type: 'process.completed',
          occurredAt: '2019-11-08T11:06:01.607000Z',
          seq: 7,
          actor: core,
          data: {},
        },
        {
          type: 'notification.delivered',
          occurredAt: '2019-11-08T11:06:04.993000Z',
          seq: 8,
          actor: { kind: 'system', name: 'Mailgun' },
          channel: 'email',
          // the description's `To:`; its blank `Severity` and `Reason` give nothing
          data: { recipientRole: 'owner', deliveryStatus: 'delivered', recipient: 'testUser@example.com' },
        },
      ],
    );
  });

  it('keeps the vendor record, code, id and text untouched', () => {
    result.events.forEach((event, seq) => {
      expect(event.raw).toBe(entries[seq]);
      expect(event.vendor).toBe('taktikal');
      expect(event.processId).toBe(DOC_KEY);
      expect(event.origin).toBe('log');
      expect(event.vendorEvent).toEqual({
        type: entries[seq]!.status,
        id: String(entries[seq]!.id),
        description: entries[seq]!.description,
      });
    });
  });

  it('derives ids from the entry id, exactly as core eventId does', () => {
    result.events.forEach((event, seq) => {
      expect(event.id).toBe(eventId('taktikal', DOC_KEY, entries[seq]!.id));
    });
  });

  it('reports the process status and folds to completed with the one signee signed', () => {
    expect(result.processes).toEqual([
      {
        processId: DOC_KEY,
        vendorStatus: 'Completed',
        statusHint: 'completed',
        // The signees come back with the process (the roster), personal data included, for callers to mask.
        signers: [
          {
            signerId: DOC_SIGNEE,
            name: 'Signee Number One',
            email: 'signeeOne@example.com',
            phone: '1234567',
            ssn: '123456-7890',
            signatureType: 'Qualified',
          },
        ],
      },
    ]);
    expect(result.warnings).toEqual([]);
    const state = fold(result.events, result.processes[0]);
    expect(state).toMatchObject({
      status: 'completed',
      vendorStatus: 'Completed',
      createdAt: '2019-11-08T11:03:49.070000Z',
      completedAt: '2019-11-08T11:06:01.607000Z',
      signers: [
        {
          signerId: DOC_SIGNEE,
          name: 'Signee Number One',
          email: 'signeeOne@example.com',
          status: 'signed',
          signedAt: '2019-11-08T11:06:01.560000Z',
        },
      ],
      anomalies: [],
    });
    expect(result.events.find((event) => event.type === 'signer.signed')?.data.signatureType).toBe(
      'Qualified',
    );
  });
});

describe('normalizeTaktikal: legacy API documentation example', () => {
  const payload = copy(legacyLog);
  const result = normalizeTaktikal(payload);

  it('maps all nine entries, with the salesperson notification and no e-mail for the signee', () => {
    expect(result.events.map((event) => [event.type, event.actor.kind, event.data.recipientRole])).toEqual([
      ['process.created', 'user', undefined],
      ['signer.added', 'system', undefined],
      ['signer.invited', 'system', undefined],
      ['process.started', 'user', undefined],
      ['notification.delivered', 'system', 'signer'],
      ['signer.signed', 'signer', undefined],
      ['process.completed', 'system', undefined],
      ['notification.delivered', 'system', 'owner'],
      ['notification.delivered', 'system', 'salesperson'],
    ]);
    expect(result.events[0]!.actor).toEqual({ kind: 'user' }); // createdBy "" in the legacy log
    expect(result.events[1]!.data).toEqual({ signerName: 'Signee Number One' });
    expect(result.events[2]!.channel).toBe('sms');
    expect(result.events[5]!.actor).toEqual({
      kind: 'signer',
      id: 'si4265c7a3263e',
      name: 'Signee Number One',
    });
    expect(result.events[5]!.data.signatureType).toBeUndefined(); // legacy signees carry none
    expect(result.events.every((event) => event.vendorEvent.id === undefined)).toBe(true);
  });

  it('folds to completed, one signer signed; no process status on the legacy wrapper', () => {
    expect(result.processes).toEqual([
      { processId: 'spa2f3e', signers: [expect.objectContaining({ signerId: 'si4265c7a3263e' })] },
    ]);
    const state = fold(result.events);
    expect(state.status).toBe('completed');
    expect(state.signers).toEqual([
      {
        signerId: 'si4265c7a3263e',
        name: 'Signee Number One',
        status: 'signed',
        signedAt: '2019-11-08T11:06:01.560000Z',
      },
    ]);
    expect(state.anomalies).toEqual([]);
  });

  it('derives ids from the canonical record, stable across reads and key order', () => {
    const reordered = copy(legacyLog);
    reordered[0]!.activityLog = reordered[0]!.activityLog.map(
      (entry) => Object.fromEntries(Object.entries(entry).reverse()) as typeof entry,
    );
    expect(normalizeTaktikal(reordered).events.map((event) => event.id)).toEqual(
      result.events.map((event) => event.id),
    );
    expect(result.events[0]!.id).toBe(
      eventId('taktikal', 'spa2f3e', { occurrence: 0, record: payload[0]!.activityLog[0] }),
    );
  });

  it('keeps exact repeats apart by their occurrence count', () => {
    const repeated = copy(legacyLog);
    const log = repeated[0]!.activityLog;
    log.splice(5, 0, copy(log[4]!)); // the SMS delivery report arrives twice
    const events = normalizeTaktikal(repeated).events;
    expect(events).toHaveLength(10);
    expect(new Set(events.map((event) => event.id)).size).toBe(10);
    expect(events[4]!.id).toBe(result.events[4]!.id);
    expect(events[5]!.id).toBe(eventId('taktikal', 'spa2f3e', { occurrence: 1, record: log[4] }));
  });
});

describe('normalizeTaktikal: payload forms and tolerance', () => {
  it('accepts a single wrapper as well as an array of wrappers', () => {
    const single = normalizeTaktikal(copy(activityLog[0]));
    expect(single.events).toEqual(normalizeTaktikal(copy(activityLog)).events);
  });

  it('tolerates null optional fields, unknown fields and missing lists', () => {
    const payload = copy(activityLog);
    const entry = payload[0]!.activityLog[0]! as Record<string, unknown>;
    entry.userAgent = null;
    entry.signatureLocation = 'TopFirstPage';
    entry.requiresAuth = true;
    entry.newVendorField = { nested: [1, 2] };
    const wrapper = payload[0]! as Record<string, unknown>;
    wrapper.sequenceSignees = null;
    wrapper.attachmentReferences = undefined;
    const result = normalizeTaktikal(payload);
    expect(result.events[0]!.raw).toEqual(entry);
    expect(normalizeTaktikal({ processKey: 'sp1' })).toEqual({
      events: [],
      warnings: [],
      processes: [{ processId: 'sp1' }],
    });
  });

  it('keeps unknown statuses as `other` with one warning per code', () => {
    const payload = copy(activityLog);
    const log = payload[0]!.activityLog;
    log.push({ ...log[7]!, id: 9, status: 'SigneeViewed' }, { ...log[7]!, id: 10, status: 'SigneeViewed' });
    log.push({ ...log[7]!, id: 11, status: 'SMS:ENROUTE' });
    const result = normalizeTaktikal(payload);
    expect(result.events.slice(8).map((event) => [event.type, event.vendorEvent.type])).toEqual([
      ['other', 'SigneeViewed'],
      ['other', 'SigneeViewed'],
      ['other', 'SMS:ENROUTE'],
    ]);
    expect(result.events[8]!.signerId).toBeUndefined();
    expect(result.warnings).toEqual([
      expect.objectContaining({ type: 'unmapped', vendorType: 'SigneeViewed', count: 2 }),
      expect.objectContaining({ type: 'unmapped', vendorType: 'SMS:ENROUTE', count: 1 }),
    ]);
  });

  it('keeps the signee, the channel and the state of SMS states no type fits', () => {
    const payload = copy(activityLog);
    const log = payload[0]!.activityLog;
    const sms = log[4]!; // the documentation's SMS:DELIVERED, about the one signee
    log.push({ ...sms, id: 9, status: 'SMS:SENT' }, { ...sms, id: 10, status: 'SMS:ENROUTE' });
    const result = normalizeTaktikal(payload);
    for (const [event, state] of [
      [result.events[8]!, 'sent'],
      [result.events[9]!, 'enroute'],
    ] as const) {
      expect(event).toMatchObject({ type: 'other', signerId: DOC_SIGNEE, channel: 'sms' });
      expect(event.data).toEqual({ ...signee, recipientRole: 'signer', deliveryStatus: state });
    }
    // still `other`: counted as unmapped, and the signer's state does not move
    expect(result.warnings.map((warning) => warning.vendorType)).toEqual(['SMS:SENT', 'SMS:ENROUTE']);
    expect(fold(result.events).signers[0]!.status).toBe('signed');
  });

  it('reads cancellation and expiry entries as the end of the process', () => {
    for (const [status, type, folded] of [
      ['Canceled', 'process.cancelled', 'cancelled'],
      ['Cancelled', 'process.cancelled', 'cancelled'],
      ['Expired', 'process.expired', 'expired'],
    ] as const) {
      const payload = copy(activityLog) as unknown as TaktikalProcess[];
      const log = payload[0]!.activityLog!.slice(0, 5); // created … SMS delivered: not signed yet
      const { signeeKey: _, ...started } = log[3]!;
      log.push({
        ...started,
        id: 6,
        status,
        description: `Signing process ${status}.`,
        createdBy: 'Taktikal.Core',
      });
      payload[0]!.activityLog = log;
      payload[0]!.status = 'InActive';
      const result = normalizeTaktikal(payload);
      expect(result.events[5]).toMatchObject({
        type,
        actor: { kind: 'system' },
        vendorEvent: { type: status },
      });
      expect(result.warnings).toEqual([]);
      expect(fold(result.events, result.processes[0]).status).toBe(folded);
    }
  });

  it('reads a Mailgun report: recipient, severity and reason into data, a temporary failure as `other`', () => {
    const payload = copy(activityLog) as unknown as TaktikalProcess[];
    const log = payload[0]!.activityLog!;
    const mail = log[7]!; // the documentation's Confirmation:delivered
    const report = (id: number, status: string, description: string) => ({
      ...mail,
      id,
      signeeKey: DOC_SIGNEE,
      status,
      description,
    });
    log.push(
      report(
        9,
        'Signup:failed',
        'Mailgun webhook. Event: failed. To:signeeOne@example.com. Sender:postmaster@mailgun.taktikal.is. Id:aB3. Severity: temporary. Reason: 4.2.2 Mailbox full. Try again later.',
      ),
      report(
        10,
        'Signup:failed',
        'Mailgun webhook. Event: failed. To:signeeOne@example.com. Sender:postmaster@mailgun.taktikal.is. Id:aB4. Severity: permanent. Reason: 5.1.1 No such user',
      ),
      report(11, 'Reminder:delivered', 'Mailgun webhook. Event: delivered. Id:aB5. Severity: . Reason:'),
    );
    const result = normalizeTaktikal(payload);
    const [temporary, permanent, reminder] = result.events.slice(8);
    expect(temporary).toMatchObject({ type: 'other', signerId: DOC_SIGNEE, channel: 'email' });
    expect(temporary!.data).toEqual({
      ...signee,
      recipientRole: 'signer',
      deliveryStatus: 'failed',
      recipient: 'signeeOne@example.com',
      severity: 'temporary',
      reason: '4.2.2 Mailbox full. Try again later',
    });
    expect(permanent).toMatchObject({ type: 'notification.failed', signerId: DOC_SIGNEE, channel: 'email' });
    expect(permanent!.data).toMatchObject({ severity: 'permanent', reason: '5.1.1 No such user' });
    expect(reminder).toMatchObject({ type: 'notification.delivered', channel: 'email' });
    expect(reminder!.data).toEqual({ recipientRole: 'reminder', deliveryStatus: 'delivered' });
    expect(reminder!.signerId).toBeUndefined();
    // a deliberate `other` (Mailgun retries a temporary failure): no unmapped warning
    expect(result.warnings).toEqual([]);
    // a failure marks the signee failed only when it is permanent
    const signerAfter = (report: number) => {
      const invited = { ...payload[0]!, activityLog: [...log.slice(0, 3), log[report]!] };
      return fold(normalizeTaktikal(invited).events).signers[0]!.status;
    };
    expect(signerAfter(8)).toBe('invited');
    expect(signerAfter(9)).toBe('failed');
  });

  it('reads the documented optional entry fields into data', () => {
    const payload = copy(activityLog);
    const log = payload[0]!.activityLog as Record<string, unknown>[];
    Object.assign(log[0]!, { signInOrder: true });
    Object.assign(log[1]!, { signatureLocation: 'BottomLastPage', sequenceKey: 'sq1' });
    Object.assign(log[5]!, { requiresAuth: true, signInOrder: null, sequenceKey: 'sq1' });
    Object.assign(log[6]!, { requiresAuth: false, signatureLocation: '' });
    const events = normalizeTaktikal(payload).events;
    expect(events[0]!.data).toEqual({ fileName: 'demo_doc-drop-and-sign-small.pdf', signInOrder: true });
    expect(events[1]!.data).toEqual({ ...signee, signatureLocation: 'BottomLastPage', sequenceKey: 'sq1' });
    expect(events[5]!.data).toMatchObject({ requiresAuth: true, sequenceKey: 'sq1' });
    expect(events[5]!.data).not.toHaveProperty('signInOrder');
    expect(events[6]!.data).toEqual({ requiresAuth: false });
  });

  it('keeps the order of 7-digit fractions that share their first six digits', () => {
    const payload = copy(activityLog);
    const log = payload[0]!.activityLog;
    log[1]!.createdAt = '2019-11-08T11:03:49.0700001Z';
    log[2]!.createdAt = '2019-11-08T11:03:49.0700009Z';
    const events = normalizeTaktikal(payload).events;
    expect(events.slice(0, 3).map((event) => event.occurredAt)).toEqual(
      Array(3).fill('2019-11-08T11:03:49.070000Z'),
    );
    expect(fold(events.slice(0, 3)).signers).toHaveLength(1);
    expect(events.slice(0, 3).map((event) => event.seq)).toEqual([1, 2, 3]);
  });

  it('takes seq from the entry number, so a read holding only part of a log gives the same events', () => {
    const whole = normalizeTaktikal(copy(activityLog)).events;
    const payload = copy(activityLog);
    payload[0]!.activityLog = payload[0]!.activityLog.slice(4);
    expect(normalizeTaktikal(payload).events).toEqual(whole.slice(4));
  });

  it('gives legacy entries, which carry no entry number, a seq that breaks ties in log order', () => {
    const payload = copy(legacyLog);
    const log = payload[0]!.activityLog;
    log[3]!.createdAt = log[2]!.createdAt;
    log[4]!.createdAt = log[2]!.createdAt;
    const events = normalizeTaktikal(payload).events;
    expect(events.slice(2, 5).map((event) => event.seq)).toEqual([0, 1, 2]);
    expect(orderEvents(events).events.map((event) => event.raw)).toEqual(log);
  });

  it('gives legacy entries the same seq and ids whatever window of the log a response holds', () => {
    const payload = copy(legacyLog);
    const log = payload[0]!.activityLog;
    log[3]!.createdAt = log[2]!.createdAt;
    const whole = normalizeTaktikal(payload).events;
    for (const start of [1, 2, 5]) {
      const windowed = copy(payload);
      windowed[0]!.activityLog = log.slice(start);
      expect(normalizeTaktikal(windowed).events).toEqual(whole.slice(start));
    }
  });

  it('reads zone-less legacy timestamps in the given zone', () => {
    const payload = copy(legacyLog);
    payload[0]!.activityLog[0]!.createdAt = '2019-07-08 11:03:49.07';
    const utc = normalizeTaktikal(payload).events[0]!.occurredAt;
    const reykjavik = normalizeTaktikal(payload, { timeZone: 'Europe/Berlin' }).events[0]!.occurredAt;
    expect(utc).toBe('2019-07-08T11:03:49.070000Z');
    expect(reykjavik).toBe('2019-07-08T09:03:49.070000Z');
  });
});

describe('normalizeTaktikal: schema errors name the path', () => {
  const failure = (payload: unknown) => {
    try {
      normalizeTaktikal(payload);
    } catch (error) {
      expect(error).toBeInstanceOf(VendorSchemaError);
      return { path: (error as VendorSchemaError).path, expected: (error as VendorSchemaError).expected };
    }
    throw new Error('no error');
  };

  it('for wrong types deep in the payload', () => {
    const payload = copy(activityLog) as unknown as Record<string, unknown>[];
    (payload[0]!.activityLog as Record<string, unknown>[])[3]!.createdAt = 17;
    expect(failure(payload)).toEqual({ path: '$[0].activityLog[3].createdAt', expected: 'string' });
    const signees = copy(activityLog);
    (signees[0]!.signees[0]! as Record<string, unknown>).hasReminders = 'no';
    expect(failure(signees)).toEqual({ path: '$[0].signees[0].hasReminders', expected: 'boolean' });
    expect(failure({ processKey: 'sp1', activityLog: {} })).toEqual({
      path: '$.activityLog',
      expected: 'array',
    });
    expect(failure([{ processKey: 7 }])).toEqual({ path: '$[0].processKey', expected: 'string' });
    expect(failure([{ processKey: '' }])).toEqual({ path: '$[0].processKey', expected: 'a process key' });
    expect(failure('text').path).toBe('$');
  });

  it('for a fault in a later wrapper, after earlier wrappers were read', () => {
    const good = copy(activityLog)[0]!;
    const bad = copy(activityLog)[0]! as unknown as Record<string, unknown>;
    (bad.activityLog as Record<string, unknown>[])[1]!.status = null;
    expect(failure([good, good, bad, good])).toEqual({
      path: '$[2].activityLog[1].status',
      expected: 'string',
    });
    expect(failure([good, 'text']).path).toBe('$[1]');
  });

  it('for timestamps no form matches, without echoing personal data', () => {
    const payload = copy(activityLog);
    payload[0]!.activityLog[2]!.createdAt = 'signeeOne@example.com';
    const error = (() => {
      try {
        normalizeTaktikal(payload);
      } catch (caught) {
        return caught as VendorSchemaError;
      }
    })();
    expect(error).toBeInstanceOf(VendorSchemaError);
    expect(error?.path).toBe('$[0].activityLog[2].createdAt');
    expect(error?.message).not.toContain('signeeOne');
  });
});

describe('properties', () => {
  it('the fast timestamp path gives exactly what core gives', () => {
    const digits = (n: number) =>
      fc.integer({ min: 0, max: 10 ** n - 1 }).map((v) => String(v).padStart(n, '0'));
    const stamp = fc
      .tuple(
        digits(4),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 25 }),
        fc.integer({ min: 0, max: 61 }),
        fc.integer({ min: 0, max: 61 }),
        fc.integer({ min: 1, max: 9 }).chain((n) => digits(n)),
      )
      .map(([y, mo, d, h, mi, s, f]) => {
        const two = (v: number) => String(v).padStart(2, '0');
        return `${y}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}:${two(s)}.${f}Z`;
      });
    fc.assert(
      fc.property(stamp, (createdAt) => {
        const payload = { processKey: 'sp1', activityLog: [{ status: 'Created', createdAt }] };
        let core: string | undefined;
        try {
          core = normalizeTimestamp(createdAt);
        } catch {
          core = undefined;
        }
        if (core === undefined) expect(() => normalizeTaktikal(payload)).toThrow(VendorSchemaError);
        else expect(normalizeTaktikal(payload).events[0]!.occurredAt).toBe(core);
      }),
      { numRuns: 2000 },
    );
  });

  it('the hand-written wire check accepts exactly what the zod schema accepts, failing at the same path', () => {
    const value = fc.oneof(
      fc.string({ maxLength: 3 }),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
      fc.constant({}),
      fc.constant([]),
      fc.constant([{}]),
      fc.constant([1, 'x']),
      fc.constant([{ signeeKey: 5 }]),
      fc.constant([{ status: 'x', createdAt: 'y' }]),
    );
    const base = () => copy(activityLog[0]!) as unknown as Record<string, unknown>;
    const target = fc.constantFrom('wrapper', 'entry', 'signee', 'root');
    const field = fc.constantFrom(
      ...new Set([
        ...Object.keys(processSchema.shape),
        ...Object.keys(activityLog[0]!.activityLog[0]!),
        ...Object.keys(activityLog[0]!.signees[0]!),
        'id',
        'requiresAuth',
        'signInOrder',
        'signatureLocation',
        'sequenceKey',
        'userAgent',
        'hasReminders',
        'signatureType',
        'unknownField',
      ]),
    );
    fc.assert(
      fc.property(target, field, value, (where, key, replacement) => {
        let payload: unknown = base();
        if (where === 'root') payload = replacement;
        else if (where === 'wrapper') (payload as Record<string, unknown>)[key] = replacement;
        else {
          const list = (payload as Record<string, Record<string, unknown>[]>)[
            where === 'entry' ? 'activityLog' : 'signees'
          ]!;
          list[0]![key] = replacement;
        }
        const zod = processSchema.safeParse(payload);
        const fault = processFault(payload);
        expect(fault === undefined).toBe(zod.success);
        if (fault && !zod.success) expect(fault.path).toEqual(zod.error.issues[0]!.path);
      }),
      { numRuns: 3000 },
    );
  });
});
