import { createHash } from 'node:crypto';
import {
  fold,
  InvalidOptionsError,
  type NormalizedEvent,
  normalizedEventSchema,
  VendorSchemaError,
  type WebhookRequest,
  WebhookVerificationError,
} from '@signtrail/core';
import { storyProjection } from '@signtrail/core/testing';
import { exchangeWebhooks, generateStories } from '@signtrail/sandbox';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import backgroundCheck from './__fixtures__/webhook-background-check.json' with { type: 'json' };
import docSigned from './__fixtures__/webhook-doc-signed.json' with { type: 'json' };
import docViewed from './__fixtures__/webhook-doc-viewed.json' with { type: 'json' };
import emailBounce from './__fixtures__/webhook-email-bounce.json' with { type: 'json' };
import fieldNotes from './__fixtures__/webhook-field-notes.json' with { type: 'json' };
import { normalizeZapsignWebhook } from './parse-zapsign-webhook.js';
import {
  renderZapsignWebhooks,
  signerIdsAsEmails,
  startZapsignSimulator,
  storyOptions,
} from './sandbox/index.js';
import { createZapsignAdapter } from './zapsign-adapter.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const SECRET = 's3cr3t-webhook-value-never-logged';
const RECEIVED = '2024-12-24T12:00:00.000000Z';
const adapter = createZapsignAdapter({ webhookSecret: SECRET });
const delivery = (
  body: unknown,
  headers: Record<string, string> = { 'x-zapsign-secret': SECRET },
): WebhookRequest => ({
  method: 'POST',
  headers,
  body: JSON.stringify(body),
});
const parse = (body: unknown) => normalizeZapsignWebhook(JSON.stringify(body), RECEIVED);
const summary = (events: NormalizedEvent[]) =>
  events.map((e) => [e.type, e.occurredAt, e.actor.kind, e.signerId]);

describe('parseWebhook: shared-secret header', () => {
  it('accepts the configured secret, whatever the header case', async () => {
    const result = await adapter.parseWebhook(delivery(docSigned, { 'X-ZapSign-Secret': SECRET }));
    expect(result.events).toHaveLength(2);
  });

  it.each([
    ['no header', {}],
    ['a wrong value of another length', { 'x-zapsign-secret': 'short' }],
    ['a wrong value of the same length', { 'x-zapsign-secret': SECRET.replace(/.$/, 'X') }],
    ['the secret under another header', { 'x-other': SECRET }],
  ])('rejects %s with a 401 that never shows the secret', async (_name, headers) => {
    const error = await adapter.parseWebhook(delivery(docSigned, headers)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookVerificationError);
    expect((error as WebhookVerificationError).status).toBe(401);
    expect(String((error as Error).message)).not.toContain(SECRET);
    expect(JSON.stringify(error)).not.toContain(SECRET);
  });

  it('uses the header name given as option', async () => {
    const custom = createZapsignAdapter({ webhookSecret: SECRET, webhookHeader: 'X-Webhook-Token' });
    await expect(
      custom.parseWebhook(delivery(docSigned, { 'x-webhook-token': SECRET })),
    ).resolves.toBeDefined();
    await expect(custom.parseWebhook(delivery(docSigned))).rejects.toBeInstanceOf(WebhookVerificationError);
  });

  it('names a delivery by the SHA-256 of its body: a burst of identical deliveries shares one key', async () => {
    const burst = await Promise.all(
      [docViewed, structuredClone(docViewed)].map((body) => adapter.parseWebhook(delivery(body))),
    );
    const text = JSON.stringify(docViewed);
    expect(burst.map((result) => result.deliveryKey)).toEqual([sha256(text), sha256(text)]);
    const later = await adapter.parseWebhook(
      delivery({ ...docViewed, last_update_at: '2025-02-13T17:00:00.000000Z' }),
    );
    expect(later.deliveryKey).toMatch(/^[0-9a-f]{64}$/);
    expect(later.deliveryKey).not.toBe(sha256(text));
    // The secret header is not part of the delivery's identity.
    const custom = createZapsignAdapter({ webhookSecret: 'other', webhookHeader: 'x-other' });
    expect((await custom.parseWebhook(delivery(docViewed, { 'x-other': 'other' }))).deliveryKey).toBe(
      sha256(text),
    );
  });

  it('refuses to accept anything when no secret is configured', async () => {
    const open = createZapsignAdapter();
    const error = await open.parseWebhook(delivery(docSigned)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect((error as InvalidOptionsError).option).toBe('webhookSecret');
  });
});

describe('parseWebhook: documentation examples', () => {
  it('doc_signed with document status signed: the signature, then the completion', async () => {
    const { events, warnings, reread } = await adapter.parseWebhook(delivery(docSigned));
    expect(summary(events)).toEqual([
      ['signer.signed', '2021-06-07T19:22:19.956056Z', 'signer', 'fulano@teste.com.br'],
      ['process.completed', '2021-06-07T19:22:21.838310Z', 'system', undefined],
    ]);
    expect(events[0]!.actor).toEqual({
      kind: 'signer',
      email: 'fulano@teste.com.br',
      name: 'Fulano Silva',
      id: 'b14f141f-abcd-abcd-8dfa-0bdac0ec806a',
    });
    for (const event of events) {
      expect(normalizedEventSchema.parse(event)).toEqual(event);
      expect(event).toMatchObject({
        origin: 'webhook',
        processId: docSigned.token,
        vendorEvent: { type: 'doc_signed' },
      });
      expect(event.raw).toEqual(docSigned);
    }
    expect(warnings).toEqual([]);
    expect(reread).toEqual([docSigned.token]);
  });

  it('doc_viewed: the view at the signer’s last_view_at, also when the body has no event_type', () => {
    const expected = [['signer.viewed', '2025-02-13T16:50:46.595543Z', 'signer', 'email@email.com']];
    expect(summary(parse(docViewed).events)).toEqual(expected);
    const { event_type: _omitted, ...untyped } = docViewed;
    expect(summary(parse(untyped).events)).toEqual(expected);
  });

  it('email_bounce: a failed delivery to that e-mail, timed by the delivery', async () => {
    const { events } = await adapter.parseWebhook(
      delivery(emailBounce, { 'x-zapsign-secret': SECRET, date: 'Tue, 24 Dec 2024 12:00:00 GMT' }),
    );
    expect(events).toEqual([
      expect.objectContaining({
        type: 'notification.failed',
        occurredAt: RECEIVED,
        signerId: 'teste@truora.com',
        channel: 'email',
        data: {
          recipientRole: 'signer',
          deliveryStatus: 'bounced',
          reason: emailBounce.error,
          bounceStatus: 'dropped',
          emailType: 'link_email',
        },
      }),
    ]);
  });

  it('email_bounce: the same delivery status as a bounce read from the log, ZapSign’s status code kept', () => {
    const [fromLog] = adapter.normalize({
      token: emailBounce.token,
      signer_log: [
        { time: '2024-12-24 12:00:00.000000+00:00', user: emailBounce.email, event: 'Email bounce' },
      ],
    }).events;
    const [fromWebhook] = parse({ ...emailBounce, status: 'bounce', status_code: 550 }).events;
    expect(fromWebhook!.data.deliveryStatus).toBe(fromLog!.data.deliveryStatus);
    expect(fromWebhook!.data).toMatchObject({ bounceStatus: 'bounce', statusCode: 550 });
  });

  it('doc_signed: the signer’s auth_mode as method and their position as geo', () => {
    expect(parse(docSigned).events[0]!.data).toEqual({ method: 'assinaturaTela', geo: '-23.5505,-46.6333' });
    const { signer_who_signed: signer } = docSigned;
    const unplaced = {
      ...docSigned,
      signer_who_signed: { ...signer, geo_latitude: null, geo_longitude: null },
    };
    expect(parse(unplaced).events[0]!.data).toEqual({ method: 'assinaturaTela' });
    expect(parse(docViewed).events[0]!.data).toEqual({});
  });
});

describe('parseWebhook: the other events (field-notes shapes)', () => {
  const MARIA = 'maria.souza@cliente.com.br';

  it.each([
    ['doc_created', [['process.created', '2024-11-21T05:18:45.733798Z', 'user', undefined]]],
    ['created_signer', [['signer.added', '2024-11-21T05:19:02.104233Z', 'system', MARIA]]],
    ['signature_notification_sent', [['signer.invited', '2024-11-21T05:19:03.551020Z', 'system', MARIA]]],
    ['doc_read_confirmation', [['signer.read_confirmed', '2024-11-27T17:44:34.395952Z', 'signer', MARIA]]],
    [
      'signer_authentication_failed',
      [['signer.identity_failed', '2024-11-27T17:45:10.002311Z', 'signer', MARIA]],
    ],
    ['doc_refused', [['signer.declined', '2024-11-27T17:50:12.440118Z', 'signer', MARIA]]],
    ['doc_expired', [['process.expired', '2024-12-10T03:00:00.000000Z', 'system', undefined]]],
    ['doc_expiration_alert', [['other', '2024-12-03T03:00:00.000000Z', 'system', undefined]]],
    ['doc_deleted', [['process.deleted', '2024-12-11T14:20:31.765432Z', 'user', undefined]]],
  ] as const)('%s', (name, expected) => {
    const { events, warnings } = parse(fieldNotes[name]);
    expect(summary(events)).toEqual(expected);
    expect(warnings).toEqual([]);
  });

  it('keeps the channel of a notification and the reason of a refusal or failure', () => {
    expect(parse(fieldNotes.signature_notification_sent).events[0]!.channel).toBe('whatsapp');
    expect(parse(fieldNotes.doc_refused).events[0]!.data).toEqual({ reason: 'Valor do aluguel incorreto' });
    expect(parse(fieldNotes.signer_authentication_failed).events[0]!.data).toEqual({
      reason: 'facial_recognition_failed',
      maxAttempts: 3,
      attemptsUsed: 3,
    });
  });

  it('reads a reminder notification as signer.reminded, the first one as signer.invited', () => {
    const sent = fieldNotes.signature_notification_sent;
    const reminder = (notification_type: string) => ({
      ...sent,
      created_signer: { ...sent.created_signer, notification_type },
    });
    expect(parse(sent).events[0]!.type).toBe('signer.invited');
    for (const kind of ['signature_reminder', 'reminder', 'Lembrete']) {
      const [event] = parse(reminder(kind)).events;
      expect([event!.type, event!.channel, event!.signerId]).toEqual(['signer.reminded', 'whatsapp', MARIA]);
    }
  });

  it.each([
    ['expirou', 'process.expired'],
    ['cancelado', 'process.cancelled'],
  ])('doc_signed whose signer status is %s is no signature: %s', (status, type) => {
    const body = {
      ...docSigned,
      status: 'pending',
      signer_who_signed: { ...docSigned.signer_who_signed, status, signed_at: null },
    };
    expect(summary(parse(body).events)).toEqual([
      [type, docSigned.last_update_at, expect.any(String), undefined],
    ]);
  });

  it('background_check_completed names no document: a warning, no event, nothing to re-read', async () => {
    for (const body of [backgroundCheck, { ...backgroundCheck, token: backgroundCheck.check_token }]) {
      const result = await adapter.parseWebhook(delivery(body));
      expect(result.events).toEqual([]);
      expect(result.reread).toEqual([]);
      expect(result.warnings).toEqual([
        expect.objectContaining({ type: 'unsupported', feature: 'background checks' }),
      ]);
    }
  });

  it('an unknown event naming no document: its unmapped warning, no event under a made-up document', () => {
    const { events, warnings, reread } = parse({ event_type: 'account_updated', last_update_at: RECEIVED });
    expect([events, reread]).toEqual([[], []]);
    expect(warnings).toEqual([expect.objectContaining({ type: 'unmapped', vendorType: 'account_updated' })]);
  });

  it('doc_signed with status recusado after a refusal is that refusal again (declined once), not a signature', () => {
    const refused = parse(fieldNotes.doc_refused).events;
    const followUp = parse(fieldNotes['doc_signed after the refusal']).events;
    expect(summary(followUp)).toEqual(summary(refused));
    const state = fold([...refused, ...followUp]);
    expect(state.status).toBe('declined');
    expect(state.signers).toEqual([expect.objectContaining({ signerId: MARIA, status: 'declined' })]);
    expect(state.anomalies).toEqual([]);
  });

  it('doc_signed with status recusado and no refusing signer is a cancel by the company', () => {
    const { events } = parse(fieldNotes['doc_signed after a company cancel']);
    expect(summary(events)).toEqual([
      ['process.cancelled', '2024-12-02T09:12:44.120900Z', 'user', undefined],
    ]);
    expect(events[0]!.actor).toEqual({ kind: 'user', email: 'juridico@empresa.com.br' });
    expect(fold(events).status).toBe('cancelled');
  });

  it('collapses a burst of identical deliveries into one event', () => {
    const burst = [docViewed, docViewed, structuredClone(docViewed)].flatMap((body) => parse(body).events);
    expect(new Set(burst.map((e) => e.id)).size).toBe(1);
    expect(fold(burst).counts.events).toBe(1);
    const later = parse({ ...docViewed, last_update_at: '2025-02-13T17:00:00.000000Z' }).events;
    expect(later[0]!.id).not.toBe(burst[0]!.id);
  });

  it('keeps an unknown event type as "other" with an unmapped warning', () => {
    const { events, warnings } = parse({
      event_type: 'doc_teleported',
      token: 'abc',
      last_update_at: RECEIVED,
    });
    expect(summary(events)).toEqual([['other', RECEIVED, 'system', undefined]]);
    expect(warnings).toEqual([expect.objectContaining({ type: 'unmapped', vendorType: 'doc_teleported' })]);
  });

  it.each([
    ['a body that is not JSON', '{"event_type": "doc_signed",', '$'],
    ['a body without token', JSON.stringify({ event_type: 'doc_created' }), '$.token'],
    ['a body without event type nor signer object', JSON.stringify({ token: 'abc' }), '$.event_type'],
    [
      'a bad time',
      JSON.stringify({ event_type: 'doc_created', token: 'abc', created_at: 'soon' }),
      '$.created_at',
    ],
  ])('rejects %s with the JSON path', (_name, text, path) => {
    const error = (() => {
      try {
        normalizeZapsignWebhook(text, RECEIVED);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(VendorSchemaError);
    expect((error as VendorSchemaError).path).toBe(path);
  });
});

describe('parseWebhook: simulator deliveries', () => {
  const webhookTypes = new Set([
    'process.created',
    'process.completed',
    'process.cancelled',
    'process.expired',
    'process.deleted',
    'signer.added',
    'signer.invited',
    'signer.viewed',
    'signer.read_confirmed',
    'signer.identity_failed',
    'signer.signed',
    'signer.declined',
  ]);

  it('gives back every story happening a webhook reports, each once (property, every language)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.constantFrom('pt', 'es', 'en'),
        (seed, lang) => {
          const stories = generateStories({ seed, processes: 4, ...storyOptions });
          const project = (e: NormalizedEvent) =>
            JSON.stringify(storyProjection(signerIdsAsEmails(stories)(e)));
          for (const story of stories) {
            const parsed = renderZapsignWebhooks(story, lang).flatMap((body) => parse(body).events);
            const byId = new Map(parsed.map((event) => [event.id, event]));
            const happenings = new Set(
              [...byId.values()].filter((e) => e.type !== 'notification.failed').map(project),
            );
            const expected = new Set(story.events.filter((e) => webhookTypes.has(e.type)).map(project));
            expect(happenings).toEqual(expected);
            expect(fold([...byId.values()]).status).toBe(fold(story.events).status);
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('sends real deliveries that parseWebhook verifies with its secret, each re-reading its story; a wrong key fails', async () => {
    const stories = generateStories({ ...storyOptions, seed: 11, processes: 4 });
    const sim = await startZapsignSimulator({ stories });
    try {
      const { deliveries, results } = await exchangeWebhooks(
        sim,
        stories,
        (webhookSecret) => createZapsignAdapter({ webhookSecret }).parseWebhook,
      );
      expect(new Set(deliveries.map((d) => d.processId))).toEqual(new Set(stories.map((s) => s.processId)));
      // ZapSign's quirks: every view fires three identical deliveries, which parse to one event.
      expect(deliveries.filter((d) => d.eventType === 'doc_viewed').length % 3).toBe(0);
      const events = results.flatMap((r) => r.events);
      expect(new Set(events.map((e) => e.processId))).toEqual(new Set(stories.map((s) => s.processId)));
    } finally {
      await sim.close();
    }
  });
});
