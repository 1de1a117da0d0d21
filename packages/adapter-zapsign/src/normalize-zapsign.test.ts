import { eventId, fold, normalizeTimestamp, VendorSchemaError } from '@signtrail/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import signerLogEn from './__fixtures__/signer-log-en.json' with { type: 'json' };
import signerLogEs from './__fixtures__/signer-log-es.json' with { type: 'json' };
import { normalizeZapsign, UNKNOWN_DOCUMENT } from './normalize-zapsign.js';

const TOKEN = 'f3c1d2e4-docs-example';
const JOSE = 'jose.da.silva@teste.com.br';

describe('normalizeZapsign: the English documentation example (Portuguese sentences, unsorted)', () => {
  const { events, warnings, processes } = normalizeZapsign({ token: TOKEN, signer_log: signerLogEn });

  it('gives one event per entry, in the vendor order, with the meaning of each sentence', () => {
    expect(events.map((e) => [e.seq, e.type, e.occurredAt, e.actor, e.signerId])).toEqual([
      [0, 'signer.viewed', '2024-11-27T17:44:32.117577Z', { kind: 'signer', email: JOSE }, JOSE],
      [1, 'signer.read_confirmed', '2024-11-27T17:44:34.395952Z', { kind: 'signer', email: JOSE }, JOSE],
      [2, 'signer.identity_verified', '2024-11-27T17:45:29.398835Z', { kind: 'signer', email: JOSE }, JOSE],
      [3, 'signer.consented', '2024-11-27T17:45:40.904009Z', { kind: 'signer', email: JOSE }, JOSE],
      [4, 'process.created', '2024-11-21T05:18:45.733798Z', { kind: 'user', email: JOSE }, undefined],
    ]);
    expect(events[4]!.channel).toBe('web');
    expect(events[2]!.data).toEqual({ verification: 'facial_recognition' });
    expect(warnings).toEqual([]);
    expect(processes).toEqual([{ processId: TOKEN }]);
  });

  it('keeps the vendor record and text untouched', () => {
    for (const [i, event] of events.entries()) {
      expect(event.raw).toBe(signerLogEn[i]);
      expect(event.vendorEvent).toEqual({
        type: signerLogEn[i]!.event,
        description: signerLogEn[i]!.description,
      });
      expect(event).toMatchObject({ vendor: 'zapsign', processId: TOKEN, origin: 'log' });
    }
  });

  it('derives ids from doc token, entry fields and occurrence count', () => {
    const [entry] = signerLogEn;
    expect(events[0]!.id).toBe(eventId('zapsign', TOKEN, { ...entry, n: 0 }));
  });

  it('folds by time, not by the vendor order: creation first, signer viewed, process under way', () => {
    const state = fold(events);
    expect(state).toMatchObject({
      status: 'in_progress',
      createdAt: '2024-11-21T05:18:45.733798Z',
      lastEventAt: '2024-11-27T17:45:40.904009Z',
      signers: [{ signerId: JOSE, email: JOSE, status: 'viewed' }],
      anomalies: [],
    });
  });
});

describe('normalizeZapsign: the Spanish documentation example', () => {
  const { events } = normalizeZapsign({ token: TOKEN, signer_log: signerLogEs });

  it('reads Spanish sentences', () => {
    expect(events.map((e) => e.type)).toEqual([
      'signer.signed',
      'signer.identity_verified',
      'signer.viewed',
      'process.created',
    ]);
  });

  it('takes the creator and channel from the description, not the entry user (who is someone else)', () => {
    expect(events[3]!.actor).toEqual({ kind: 'user', email: 'ejemplo@email.com' });
    expect(events[3]!.channel).toBe('web');
    expect(events[3]!.signerId).toBeUndefined();
  });

  it('keeps the id of the creation: derived from the entry as before, whatever the description yields', () => {
    expect(events[3]!.id).toBe(eventId('zapsign', TOKEN, { ...signerLogEs[3], n: 0 }));
  });

  it('folds to a signed signer whose later view does not regress the state', () => {
    const state = fold(events);
    expect(state.status).toBe('in_progress');
    expect(state.signers).toEqual([
      {
        signerId: 'jose@email.com',
        email: 'jose@email.com',
        status: 'signed',
        signedAt: '2024-11-27T17:44:32.117577Z',
      },
    ]);
    expect(state.anomalies).toEqual([]);
  });
});

describe('normalizeZapsign: who created the document', () => {
  const created = (event: string, description: string | null, user = JOSE) =>
    normalizeZapsign({
      token: TOKEN,
      signer_log: [{ time: '2024-11-21 05:18:45.733798+00:00', user, event, description }],
    }).events[0]!;

  it.each([
    [
      'Documento criado',
      'O documento foi criado por dono@empresa.com.br via web',
      'dono@empresa.com.br',
      'web',
    ],
    [
      'Documento creado',
      'El documento fue CREADO POR dono@empresa.com.br vía API.',
      'dono@empresa.com.br',
      'api',
    ],
    [
      'Document created',
      'The document was created by owner@company.example via WhatsApp',
      'owner@company.example',
      'whatsapp',
    ],
    [
      'Document created',
      'The document was created by owner@company.example.',
      'owner@company.example',
      undefined,
    ],
    [
      'Documento criado',
      'O documento foi criado por dono@empresa.com.br, via web',
      'dono@empresa.com.br',
      'web',
    ],
  ])('%s / %s → %s via %s', (event, description, email, channel) => {
    const normalized = created(event, description);
    expect(normalized.actor).toEqual({ kind: 'user', email });
    expect(normalized.channel).toBe(channel);
  });

  it('reads a creation sentence no rule knows as the creator’s doing, not the signer’s', () => {
    const normalized = created('Documento gerado', 'O documento foi criado por dono@empresa.com.br via web');
    expect([normalized.type, normalized.actor]).toEqual([
      'other',
      { kind: 'user', email: 'dono@empresa.com.br' },
    ]);
  });

  it('gives no e-mail when the description names no creator', () => {
    expect(created('Documento criado', 'Documento criado').actor).toEqual({ kind: 'user' });
    expect(created('Documento criado', null).actor).toEqual({ kind: 'user' });
  });

  it('reads only creations: another sentence mentioning a creation keeps its meaning', () => {
    const viewed = created('Documento visualizado', 'Documento criado por dono@empresa.com.br visualizado');
    expect(viewed.actor).toEqual({ kind: 'signer', email: JOSE });
  });
});

describe('normalizeZapsign: payload shapes', () => {
  it('accepts the bare endpoint answer, naming the document "unknown" with a warning', () => {
    const { events, warnings } = normalizeZapsign(signerLogEn);
    expect(events).toHaveLength(5);
    expect(events.every((e) => e.processId === UNKNOWN_DOCUMENT)).toBe(true);
    expect(warnings).toEqual([expect.objectContaining({ type: 'data' })]);
  });

  it('accepts documents with their logs and reads their status words', () => {
    const { events, processes } = normalizeZapsign([
      { token: 'a', status: 'recusado', signer_log: signerLogEs },
      { token: 'b', status: 'signed', signer_log: signerLogEn },
      { token: 'c', status: 'lixeira', signer_log: [] },
    ]);
    expect(events.map((e) => e.processId)).toEqual([...'aaaa', ...'bbbbb']);
    expect(processes).toEqual([
      { processId: 'a', vendorStatus: 'recusado', statusHint: 'declined' },
      { processId: 'b', vendorStatus: 'signed', statusHint: 'completed' },
      { processId: 'c', vendorStatus: 'lixeira' },
    ]);
  });

  it('gives nothing for an empty log', () => {
    expect(normalizeZapsign([])).toEqual({ events: [], warnings: [], processes: [] });
  });
});

describe('normalizeZapsign: repeats and unmapped sentences', () => {
  const entry = {
    time: '2024-11-27 17:44:32.117577+00:00',
    user: JOSE,
    event: 'Documento visualizado',
    description: 'x',
  };

  it('keeps an exact repeat as a second happening with its own stable id', () => {
    const other = { ...entry, time: '2024-11-27 17:50:00.000000+00:00' };
    const { events } = normalizeZapsign({ token: TOKEN, signer_log: [entry, other, { ...entry }] });
    expect(events).toHaveLength(3);
    expect(new Set(events.map((e) => e.id)).size).toBe(3);
    expect(events[2]!.id).toBe(eventId('zapsign', TOKEN, { ...entry, n: 1 }));
    const reversed = normalizeZapsign({ token: TOKEN, signer_log: [{ ...entry }, other, entry] });
    expect(new Set(reversed.events.map((e) => e.id))).toEqual(new Set(events.map((e) => e.id)));
  });

  it('counts repeats the same way in long logs (indexed by time) as in short ones (scanned)', () => {
    const distinct = Array.from({ length: 100 }, (_, i) => ({
      ...entry,
      time: `2024-11-27 17:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000000+00:00`,
    }));
    const log = [...distinct, { ...distinct[7]! }, { ...distinct[99]! }, { ...distinct[7]! }];
    const ids = normalizeZapsign({ token: TOKEN, signer_log: log }).events.map((e) => e.id);
    expect(new Set(ids).size).toBe(log.length);
    expect(ids.slice(100)).toEqual([
      eventId('zapsign', TOKEN, { ...distinct[7], n: 1 }),
      eventId('zapsign', TOKEN, { ...distinct[99], n: 1 }),
      eventId('zapsign', TOKEN, { ...distinct[7], n: 2 }),
    ]);
    const short = normalizeZapsign({
      token: TOKEN,
      signer_log: [distinct[7], distinct[99], distinct[7], distinct[7]],
    });
    expect(short.events.map((e) => e.id)).toEqual([ids[7], ids[99], ids[100], ids[102]]);
  });

  it('tells apart entries that differ only by a missing or null field', () => {
    const { events } = normalizeZapsign({
      token: TOKEN,
      signer_log: [
        entry,
        { ...entry, description: null },
        { time: entry.time, event: entry.event, user: JOSE },
      ],
    });
    expect(new Set(events.map((e) => e.id)).size).toBe(3);
  });

  it('keeps unknown sentences as "other" with one warning listing the spellings seen', () => {
    const { events, warnings } = normalizeZapsign({
      token: TOKEN,
      signer_log: [
        { ...entry, event: 'Evento misterioso' },
        { ...entry, event: 'evento  MISTERIOSO', time: '2024-11-27 18:00:00.000000+00:00' },
        { ...entry, event: 'Outro evento', user: '', time: '2024-11-27 18:01:00.000000+00:00' },
      ],
    });
    expect(events.map((e) => [e.type, e.actor.kind, e.signerId])).toEqual([
      ['other', 'signer', JOSE],
      ['other', 'signer', JOSE],
      ['other', 'system', undefined],
    ]);
    expect(warnings).toEqual([
      {
        type: 'unmapped',
        vendorType: 'Evento misterioso',
        count: 2,
        message:
          'zapsign: no mapping for "Evento misterioso", "evento  MISTERIOSO" (2×); kept as type "other"',
      },
      expect.objectContaining({ type: 'unmapped', vendorType: 'Outro evento', count: 1 }),
    ]);
  });
});

describe('normalizeZapsign: ids and times equal the general definitions', () => {
  const text = fc.oneof(
    fc.string(),
    fc.string({ unit: 'grapheme' }),
    fc.constantFrom('"', '\\', '\u0000', '\ud800', 'ç'),
  );

  it('ids equal core eventId for any field content (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        text,
        fc.option(text, { nil: undefined }),
        fc.oneof(fc.option(text), fc.constant(undefined)),
        (token, event, user, description) => {
          const raw: Record<string, unknown> = { time: '2024-11-27 17:44:32.117577+00:00', event };
          if (user !== undefined) raw.user = user;
          if (description !== undefined) raw.description = description;
          const [normalized] = normalizeZapsign({ token, signer_log: [raw] }).events;
          expect(normalized!.id).toBe(eventId('zapsign', token, { ...raw, n: 0 }));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('reads the signer-log time form like core normalizeTimestamp (property)', () => {
    const instant = fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2099, 11, 31) });
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 999_999 }), (ms, micros) => {
        const time = `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}.${String(micros).padStart(6, '0')}+00:00`;
        const [event] = normalizeZapsign({ token: TOKEN, signer_log: [{ time, event: 'x' }] }).events;
        expect(event!.occurredAt).toBe(normalizeTimestamp(time));
      }),
      { numRuns: 300 },
    );
  });

  it('reads other zone offsets through core', () => {
    const [event] = normalizeZapsign({
      token: TOKEN,
      signer_log: [{ time: '2024-11-27 14:44:32.117577-03:00', event: 'Documento visualizado' }],
    }).events;
    expect(event!.occurredAt).toBe('2024-11-27T17:44:32.117577Z');
  });
});

describe('normalizeZapsign: wrong payloads are typed errors with the JSON path', () => {
  const entry = { time: '2024-11-27 17:44:32.117577+00:00', user: JOSE, event: 'Documento visualizado' };
  const failure = (payload: unknown) => {
    try {
      normalizeZapsign(payload);
    } catch (error) {
      expect(error).toBeInstanceOf(VendorSchemaError);
      return (error as VendorSchemaError).path;
    }
    throw new Error('expected a VendorSchemaError');
  };

  it.each([
    ['a string', 'not a log', '$'],
    ['a missing token', { signer_log: [] }, '$.token'],
    ['a log that is not an array', { token: TOKEN, signer_log: {} }, '$.signer_log'],
    ['a numeric time', { token: TOKEN, signer_log: [entry, { ...entry, time: 1 }] }, '$.signer_log[1].time'],
    [
      'an impossible date',
      { token: TOKEN, signer_log: [{ ...entry, time: '2024-02-30 10:00:00.000000+00:00' }] },
      '$.signer_log[0].time',
    ],
    ['garbage time', { token: TOKEN, signer_log: [{ ...entry, time: 'yesterday' }] }, '$.signer_log[0].time'],
    ['a missing event', { token: TOKEN, signer_log: [{ time: entry.time }] }, '$.signer_log[0].event'],
    ['a numeric user', { token: TOKEN, signer_log: [{ ...entry, user: 7 }] }, '$.signer_log[0].user'],
    ['an entry that is no object', [entry, 'oops'], '$[1]'],
    [
      'a bad entry in the second document',
      [
        { token: 'a', signer_log: [] },
        { token: 'b', signer_log: [{ time: entry.time, event: [] }] },
      ],
      '$[1].signer_log[0].event',
    ],
  ])('%s', (_name, payload, path) => {
    expect(failure(payload)).toBe(path);
  });
});
