import {
  eventId,
  fold,
  foldNormalized,
  InvalidOptionsError,
  InvalidTimestampError,
  normalizeTimestamp,
  VendorSchemaError,
} from '@signtrail/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import logDetails from './__fixtures__/log-details.json' with { type: 'json' };
import docsExample from './__fixtures__/workflow-history.json' with { type: 'json' };
import nextSignerObject from './__fixtures__/workflow-history-next-signer-object.json' with { type: 'json' };
import { applyLogDetails, normalizeSigninghub, occurredAt } from './normalize-signinghub.js';

const example = () => structuredClone(docsExample);
const actions = docsExample.actions;

describe('normalizeSigninghub: the documentation example', () => {
  const result = normalizeSigninghub(example());

  it('gives one event per action with the documented fields mapped', () => {
    const owner = { kind: 'user', email: 'john@ascertia.com', name: 'John Smith' };
    expect(result.events).toEqual([
      {
        id: eventId('signinghub', '123', 1),
        vendor: 'signinghub',
        processId: '123',
        type: 'process.started',
        occurredAt: '2015-01-12T11:12:13.000000Z',
        seq: 0,
        actor: owner,
        data: { sharedWith: 'Mark Spencer', enterpriseName: 'TEFCO INC.' },
        vendorEvent: { type: 'SHARED', id: '1' },
        origin: 'log',
        raw: actions[0],
      },
      {
        // The docs give every action log_id 1: repeats are keyed by occurrence so ids stay unique.
        id: eventId('signinghub', '123', { log_id: 1, occurrence: 2 }),
        vendor: 'signinghub',
        processId: '123',
        type: 'signer.viewed',
        occurredAt: '2015-01-12T11:14:13.000000Z',
        seq: 1,
        actor: owner,
        channel: 'web',
        data: { viewer: 'WEB_BROWSER', enterpriseName: 'TEFCO INC.' },
        vendorEvent: { type: 'OPENED', id: '1' },
        origin: 'log',
        raw: actions[1],
      },
      {
        id: eventId('signinghub', '123', { log_id: 1, occurrence: 3 }),
        vendor: 'signinghub',
        processId: '123',
        type: 'signer.signed',
        occurredAt: '2015-01-12T11:19:13.000000Z',
        seq: 2,
        actor: owner,
        signerId: 'john@ascertia.com',
        data: {
          method: 'SERVER',
          enterpriseName: 'TEFCO INC.',
          signerEmail: 'john@ascertia.com',
          signerName: 'John Smith',
        },
        vendorEvent: { type: 'SIGNED', id: '1' },
        origin: 'log',
        raw: actions[2],
      },
    ]);
  });

  it('reports the repeated log_id and the package status', () => {
    expect(result.warnings).toEqual([
      expect.objectContaining({ type: 'data', message: expect.stringContaining('repeats log_id 1 (3×)') }),
    ]);
    expect(result.processes).toEqual([
      { processId: '123', vendorStatus: 'COMPLETED', statusHint: 'completed' },
    ]);
  });

  it('folds to a completed process whose owner signed', () => {
    const state = fold(result.events, { vendorStatus: 'COMPLETED', statusHint: 'completed' });
    expect(state).toMatchObject({
      vendor: 'signinghub',
      processId: '123',
      status: 'completed',
      vendorStatus: 'COMPLETED',
      startedAt: '2015-01-12T11:12:13.000000Z',
      lastEventAt: '2015-01-12T11:19:13.000000Z',
      signers: [
        {
          signerId: 'john@ascertia.com',
          name: 'John Smith',
          email: 'john@ascertia.com',
          status: 'signed',
          signedAt: '2015-01-12T11:19:13.000000Z',
        },
      ],
      anomalies: [],
    });
  });

  it('without the package status hint the log alone stops at in_progress (no completion action)', () => {
    expect(fold(result.events).status).toBe('in_progress');
  });
});

describe('normalizeSigninghub: the next recipient (next_signer, next_signer_email)', () => {
  it('reads the array the documentation example shows into the roster while the package is open', () => {
    const open = { ...example(), package_status: 'INPROGRESS' };
    expect(normalizeSigninghub(open).processes[0]?.signers).toEqual([
      { signerId: 'sam@ascertia.com', email: 'sam@ascertia.com', name: 'Sam Crook' },
    ]);
    // Closed, the example still names Sam as next: he is nobody's pending signer (no roster, no anomaly).
    for (const package_status of ['COMPLETED', 'DECLINED']) {
      const result = normalizeSigninghub({ ...example(), package_status });
      expect(result.processes[0]?.signers).toBeUndefined();
    }
    expect(foldNormalized(normalizeSigninghub(example()))[0]?.anomalies).toEqual([]);
  });

  it('reads the one object the documentation describes, keyed like the signer events so the fold joins them', () => {
    const result = normalizeSigninghub(structuredClone(nextSignerObject));
    const [info] = result.processes;
    expect(info).toEqual({
      processId: '124',
      vendorStatus: 'INPROGRESS',
      statusHint: 'in_progress',
      signers: [{ signerId: 'sam@ascertia.com', email: 'Sam@Ascertia.com', name: 'Sam Crook' }],
    });
    const opened = result.events.find((e) => e.type === 'signer.viewed');
    expect(opened?.signerId).toBe('sam@ascertia.com');
    const state = fold(result.events, { signers: info?.signers });
    expect(state.signers).toEqual([
      { signerId: 'sam@ascertia.com', email: 'Sam@Ascertia.com', name: 'Sam Crook', status: 'viewed' },
    ]);
  });

  it('names a lone entry without user_name by next_signer; leaves out entries without e-mail and repeats', () => {
    const signersOf = (extra: Record<string, unknown>) =>
      normalizeSigninghub({ package_id: 5, actions: [], ...extra }).processes[0]?.signers;
    expect(
      signersOf({ next_signer: 'Sam Crook', next_signer_email: { user_email: 'sam@x.example' } }),
    ).toEqual([{ signerId: 'sam@x.example', email: 'sam@x.example', name: 'Sam Crook' }]);
    const entries = [{ user_email: 'A@x.example' }, { user_name: 'No Mail' }, { user_email: 'a@x.example' }];
    expect(signersOf({ next_signer_email: entries })).toEqual([
      { signerId: 'a@x.example', email: 'A@x.example' },
    ]);
    for (const none of [null, [], { user_email: null }]) {
      expect(signersOf({ next_signer_email: none })).toBeUndefined();
    }
  });

  it.each([
    ['x', '$.next_signer_email', 'an array of { user_email, user_name } or one such object'],
    [[5], '$.next_signer_email[0]', 'an object'],
    [[{ user_email: 5 }], '$.next_signer_email[0].user_email', 'a string'],
    [{ user_name: 5 }, '$.next_signer_email.user_name', 'a string'],
  ])('rejects next_signer_email %j at %s', (next_signer_email, path, expected) => {
    expect(() => normalizeSigninghub({ package_id: 5, next_signer_email, actions: [] })).toThrow(
      expect.objectContaining({ path, expected }),
    );
  });
});

describe('normalizeSigninghub: rules', () => {
  const log = (entries: unknown[], extra: Record<string, unknown> = {}) => ({
    package_id: 77,
    package_status: 'INPROGRESS',
    package_owner: 'Owner@Example.com',
    documents: [{ document_id: 501, document_name: 'offer.pdf' }],
    actions: entries,
    ...extra,
  });

  it('tells owner (any case), recipients and vendor machinery apart', () => {
    const { events } = normalizeSigninghub(
      log([
        {
          log_id: 1,
          date_time: '2024-05-01T10:00:00',
          action_type: 'OPENED',
          user_email: 'owner@example.com',
        },
        { log_id: 2, date_time: '2024-05-01T10:01:00', action_type: 'OPENED', user_email: 'Sam@Example.com' },
        {
          log_id: 3,
          date_time: '2024-05-01T10:02:00',
          action_type: 'DECLINED',
          user_email: 'Sam@Example.com',
        },
        { log_id: 4, date_time: '2024-05-01T10:03:00', action_type: 'COMPLETED' },
        {
          log_id: 5,
          date_time: '2024-05-01T10:04:00',
          action_type: 'EVIDENCE_REPORT_GENERATED',
          user_email: 'owner@example.com',
        },
      ]),
    );
    expect(events.map((e) => [e.type, e.actor.kind, e.signerId])).toEqual([
      ['signer.viewed', 'user', undefined],
      ['signer.viewed', 'signer', 'sam@example.com'],
      ['signer.declined', 'signer', 'sam@example.com'],
      ['process.completed', 'system', undefined],
      ['other', 'system', undefined],
    ]);
  });

  it('names documents by information or as the only document; keeps unknown information', () => {
    const { events } = normalizeSigninghub(
      log([
        {
          log_id: 1,
          date_time: '2024-05-01T10:00:00',
          action_type: 'UPLOADED',
          user_email: 'owner@example.com',
          information: { type: 'DOCUMENT_NAME', value: 'offer.pdf' },
        },
        {
          log_id: 2,
          date_time: '2024-05-01T10:01:00',
          action_type: 'DOWNLOADED',
          user_email: 'owner@example.com',
        },
        {
          log_id: 3,
          date_time: '2024-05-01T10:02:00',
          action_type: 'PRINTED',
          user_email: 'owner@example.com',
          information: { type: 'PRINTER', value: 'HQ-2' },
        },
      ]),
    );
    expect(events.map((e) => e.documentId)).toEqual(['501', '501', undefined]);
    expect(events[0]?.data.fileName).toBe('offer.pdf');
    expect(events[2]?.data.information).toEqual({ type: 'PRINTER', value: 'HQ-2' });
  });

  it('marks an in-person signature inPerson and keeps the signing method the record names', () => {
    const inPerson = (information?: unknown) => ({
      log_id: 4,
      date_time: '2024-05-01T10:00:00',
      action_type: 'IN_PERSON_SIGNED',
      user_email: 'owner@example.com',
      ...(information === undefined ? {} : { information }),
    });
    const [named, bare, signingMethod] = normalizeSigninghub(
      log([
        inPerson({ type: 'METHOD', value: 'SERVER' }),
        inPerson(),
        inPerson({ type: 'SIGNING_METHOD', value: 'LOCAL' }),
      ]),
    ).events;
    expect(named?.data).toEqual({ inPerson: true, method: 'SERVER' });
    expect(bare?.data).toEqual({ inPerson: true, method: 'IN_PERSON' });
    expect(signingMethod?.data).toEqual({ inPerson: true, method: 'LOCAL' });
    expect(named?.type).toBe('signer.signed');
  });

  it('keeps an unknown code as other with one unmapped warning per code, counted', () => {
    const entry = (logId: number) => ({
      log_id: logId,
      date_time: '2024-05-01T10:00:00',
      action_type: 'TELEPORTED',
    });
    const result = normalizeSigninghub(log([entry(1), entry(2)]));
    expect(result.events.map((e) => [e.type, e.vendorEvent.type])).toEqual([
      ['other', 'TELEPORTED'],
      ['other', 'TELEPORTED'],
    ]);
    expect(result.warnings).toEqual([
      expect.objectContaining({ type: 'unmapped', vendorType: 'TELEPORTED', count: 2 }),
    ]);
  });

  it('keys an action without log_id by its content; accepts null for absent fields', () => {
    const action = {
      log_id: null,
      date_time: '2024-05-01T10:00:00',
      action_type: 'SHARED',
      user_email: 'owner@example.com',
      user_name: null,
      enterprise_name: null,
      information: null,
    };
    const [event] = normalizeSigninghub(log([action])).events;
    expect(event?.id).toBe(eventId('signinghub', '77', action));
    expect(event?.vendorEvent).toEqual({ type: 'SHARED' });
    expect(event?.actor).toEqual({ kind: 'user', email: 'owner@example.com' });
  });

  it('reads zone-less times in the configured zone', () => {
    const { events } = normalizeSigninghub(example(), { timeZone: 'Asia/Kolkata' });
    expect(events[0]?.occurredAt).toBe('2015-01-12T05:42:13.000000Z');
    expect(() => normalizeSigninghub(example(), { timeZone: 'Mars/Olympus' })).toThrow(InvalidOptionsError);
  });

  it('accepts an array of package logs and warns when a COMPLETED log was cleared', () => {
    const result = normalizeSigninghub([
      example(),
      log([], { package_id: '88', package_status: 'COMPLETED' }),
    ]);
    expect(result.processes.map((p) => p.processId)).toEqual(['123', '88']);
    expect(result.warnings.some((w) => w.message.includes('88 is COMPLETED with an empty log'))).toBe(true);
  });

  it.each([
    ['null', { actions: null }],
    ['missing', { actions: undefined }],
  ])('reads %s actions as an empty (cleared) log, with the COMPLETED warning', (_name, actions) => {
    const { actions: _documented, ...withoutActions } = example();
    const result = normalizeSigninghub({ ...withoutActions, ...actions });
    expect(result.events).toEqual([]);
    expect(result.processes).toEqual([
      { processId: '123', vendorStatus: 'COMPLETED', statusHint: 'completed' },
    ]);
    expect(result.warnings).toEqual([
      expect.objectContaining({
        type: 'data',
        message: expect.stringContaining('COMPLETED with an empty log'),
      }),
    ]);
    const pending = normalizeSigninghub({ ...withoutActions, ...actions, package_status: 'PENDING' });
    expect(pending.warnings).toEqual([]);
  });

  it('maps package_status to hints; an unknown status is kept without a hint', () => {
    const statuses = ['DRAFT', 'APPROVED', 'SIGNED', 'DECLINED', 'ARCHIVED'];
    const result = normalizeSigninghub(
      statuses.map((status, n) => log([], { package_id: n, package_status: status })),
    );
    expect(result.processes.map((p) => [p.vendorStatus, p.statusHint])).toEqual([
      ['DRAFT', 'draft'],
      ['APPROVED', 'in_progress'],
      ['SIGNED', 'in_progress'],
      ['DECLINED', 'declined'],
      ['ARCHIVED', undefined],
    ]);
  });

  it.each([
    ['text', '$', 'a package log object'],
    [[1], '$[0]', 'a package log object'],
    [{ actions: [] }, '$.package_id', 'a number or a non-empty string'],
    [{ package_id: 1, actions: {} }, '$.actions', 'an array'],
    [[{ package_id: 1, actions: [], package_owner: 5 }], '$[0].package_owner', 'a string'],
    [{ package_id: 1, documents: {}, actions: [] }, '$.documents', 'an array'],
    [{ package_id: 1, actions: ['x'] }, '$.actions[0]', 'an action object'],
    [
      { package_id: 1, actions: [{ date_time: '2024-01-01T00:00:00' }] },
      '$.actions[0].action_type',
      'a string',
    ],
    [{ package_id: 1, actions: [{ action_type: 'SHARED' }] }, '$.actions[0].date_time', 'a string'],
    [
      { package_id: 1, actions: [{ action_type: 'SHARED', date_time: '2024-01-01T00:00:00', log_id: '7' }] },
      '$.actions[0].log_id',
      'a number',
    ],
    [
      {
        package_id: 1,
        actions: [{ action_type: 'SHARED', date_time: '2024-01-01T00:00:00', user_email: 3 }],
      },
      '$.actions[0].user_email',
      'a string',
    ],
    [
      {
        package_id: 1,
        actions: [{ action_type: 'SHARED', date_time: '2024-01-01T00:00:00', information: { type: 1 } }],
      },
      '$.actions[0].information.type',
      'a string',
    ],
    [
      { package_id: 1, actions: [{ action_type: 'SHARED', date_time: '12/01/2015 11:12' }] },
      '$.actions[0].date_time',
      'a date-time such as 2015-01-12T11:12:13',
    ],
  ])('rejects %j at %s', (payload, path, expected) => {
    const error = (() => {
      try {
        normalizeSigninghub(payload);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(VendorSchemaError);
    expect(error).toMatchObject({ vendor: 'signinghub', path, expected });
  });
});

describe('fast paths equal core', () => {
  it('occurredAt equals core normalizeTimestamp, or fails where core fails (property)', () => {
    const pad = (n: number, width: number) => String(n).padStart(width, '0');
    const wallTimes = fc
      .tuple(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 24 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 60 }),
      )
      .map(
        ([y, mo, d, h, mi, s]) =>
          `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}`,
      );
    const inputs = fc.oneof(
      wallTimes,
      fc.string(),
      wallTimes.map((t) => `${t}.5`),
      wallTimes.map((t) => ` ${t}`),
    );
    fc.assert(
      fc.property(inputs, (input) => {
        let expected: string | undefined;
        try {
          expected = normalizeTimestamp(input);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidTimestampError);
        }
        if (expected === undefined) expect(() => occurredAt(input, 'UTC')).toThrow(VendorSchemaError);
        else expect(occurredAt(input, 'UTC')).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('applyLogDetails: the documented details tree', () => {
  const firstEvent = () => normalizeSigninghub(example()).events[0]!;

  it('adds the IP address, the document names and the one named document', () => {
    const event = firstEvent();
    applyLogDetails(event, logDetails, example());
    expect(event.data).toMatchObject({ ip: '203.0.113.24', documentNames: ['sales contract 105'] });
    expect(event.data.certificates).toBeUndefined();
    expect(event.documentId).toBe('123');
  });

  it('counts the certificates in the tree without copying them', () => {
    const event = firstEvent();
    const certificate = 'MIIB'.repeat(200);
    const tree = [
      ...logDetails,
      {
        key: 'SIGNER_CERTIFICATE',
        certificate_base64: certificate,
        data: [{ key: 'ISSUER_CERTIFICATE', certificate_base64_url: 'https://api.signinghub.test/cert/2' }],
      },
    ];
    applyLogDetails(event, tree, example());
    expect(event.data.certificates).toBe(2);
    expect(JSON.stringify(event)).not.toContain(certificate);
    expect(JSON.stringify(event)).not.toContain('cert/2');
  });
});
