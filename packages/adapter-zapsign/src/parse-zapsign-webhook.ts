import { createHash, timingSafeEqual } from 'node:crypto';
import {
  type Actor,
  type AdapterWarning,
  type EventData,
  type EventType,
  eventId,
  InvalidOptionsError,
  type NormalizedEvent,
  normalizeTimestamp,
  parseVendorPayload,
  unmappedWarnings,
  VendorSchemaError,
  type WebhookRequest,
  type WebhookResult,
  WebhookVerificationError,
} from '@signtrail/core';
import {
  actorKindOf,
  concernsSigner,
  documentStatusHint,
  sentenceKey,
  signerStatusOf,
} from './map-zapsign-event.js';
import { VENDOR, type WebhookBody, type WebhookSigner, webhookBodySchema } from './zapsign-api.js';
import type { ResolvedZapsignOptions } from './zapsign-options.js';

/** One happening a delivery reports, before it becomes an event. */
interface Draft {
  type: EventType;
  /** Body paths of the happening's time, first present wins (the delivery time when none is). */
  at: string[];
  signer?: WebhookSigner | null;
  channel?: string;
  data?: EventData;
}

type Handler = (body: WebhookBody) => Draft[];

/** A refused document: each signer whose status says refused declined; with none, `withoutRefuser`. */
function refusal(body: WebhookBody, withoutRefuser: EventType): Draft[] {
  const data: EventData = body.rejected_reason ? { reason: body.rejected_reason } : {};
  const refusers = refusingSigners(body);
  if (refusers.length === 0) return [{ type: withoutRefuser, at: ['last_update_at'], data }];
  return refusers.map((signer) => ({
    type: 'signer.declined',
    at: ['last_update_at'],
    signer,
    data: { ...data },
  }));
}

/**
 * ZapSign webhook `event_type` → happenings. Meaning comes from the document and signer statuses, not the
 * event name alone: ZapSign sends `doc_signed` with document status `recusado` both after a company cancel
 * (no signer refused: the process is cancelled) and ~40 s after a signer's refusal (that signer declined,
 * the same happening as the `doc_refused` before it).
 */
const HANDLERS: Readonly<Record<string, Handler>> = {
  doc_created: () => [{ type: 'process.created', at: ['created_at', 'last_update_at'] }],
  doc_deleted: () => [{ type: 'process.deleted', at: ['deleted_at', 'last_update_at'] }],
  created_signer: (body) => [{ type: 'signer.added', at: ['last_update_at'], signer: body.created_signer }],
  signature_notification_sent: (body) => {
    const channel = body.created_signer?.notification_channel ?? body.notification_channel;
    const kind = body.created_signer?.notification_type ?? body.notification_type;
    const draft: Draft = {
      type: kind && REMINDER.test(sentenceKey(kind)) ? 'signer.reminded' : 'signer.invited',
      at: ['created_signer.sent_at', 'sent_at', 'last_update_at'],
      signer: body.created_signer,
    };
    if (channel) draft.channel = channel.toLowerCase();
    return [draft];
  },
  doc_viewed: (body) => [
    {
      type: 'signer.viewed',
      at: ['signer_who_viewed.last_view_at', 'last_update_at'],
      signer: body.signer_who_viewed,
    },
  ],
  doc_read_confirmation: (body) => [
    { type: 'signer.read_confirmed', at: ['last_update_at'], signer: body.signer_who_read },
  ],
  signer_authentication_failed: (body) => {
    const signer = body.unauthenticated_signer;
    const data: EventData = {};
    if (signer?.authentication_failure_reason) data.reason = signer.authentication_failure_reason;
    if (typeof signer?.max_attempts === 'number') data.maxAttempts = signer.max_attempts;
    if (typeof signer?.attempts_used === 'number') data.attemptsUsed = signer.attempts_used;
    return [{ type: 'signer.identity_failed', at: ['last_update_at'], signer, data }];
  },
  doc_signed: (body) => {
    if (documentStatusHint(body.status ?? '') === 'declined') return refusal(body, 'process.cancelled');
    // A signer whose status says the signing expired or was cancelled for them did not sign.
    const ended = ENDED_BY[signerStatusOf(body.signer_who_signed?.status ?? '') ?? ''];
    if (ended) return [{ type: ended, at: ['last_update_at'] }];
    const method = body.signer_who_signed?.auth_mode;
    const drafts: Draft[] = [
      {
        type: 'signer.signed',
        at: ['signer_who_signed.signed_at', 'last_update_at'],
        signer: body.signer_who_signed,
        data: method ? { method } : {},
      },
    ];
    if (documentStatusHint(body.status ?? '') === 'completed') {
      drafts.push({ type: 'process.completed', at: ['last_update_at'] });
    }
    return drafts;
  },
  doc_refused: (body) => refusal(body, 'process.declined'),
  doc_expired: () => [{ type: 'process.expired', at: ['expiration_date', 'last_update_at'] }],
  // A warning ahead of the deadline (7, 3 and 1 day before): no taxonomy type, kept as `other`.
  doc_expiration_alert: (body) => [
    {
      type: 'other',
      at: ['last_update_at'],
      data: body.expiration_date ? { expirationDate: body.expiration_date } : {},
    },
  ],
  email_bounce: (body) => {
    // The same delivery status as a bounce read from the log; ZapSign's own words are kept beside it.
    const data: EventData = { recipientRole: 'signer', deliveryStatus: 'bounced' };
    if (body.error) data.reason = body.error;
    if (body.status) data.bounceStatus = body.status;
    if (body.type) data.emailType = body.type;
    if (body.status_code != null) data.statusCode = body.status_code;
    return [{ type: 'notification.failed', at: [], signer: { email: body.email }, channel: 'email', data }];
  },
};

/** `notification_type` words of a reminder (the first notification is `signature_request`). */
const REMINDER = /remind|lembrete|recordatorio/;

/** Signer statuses that end the signing for that signer without their doing, as process events. */
const ENDED_BY: Partial<Record<string, EventType>> = {
  expired: 'process.expired',
  cancelled: 'process.cancelled',
};

/**
 * Event types that concern no document (a background check names a check, not a document): no event, no
 * re-read, one warning.
 */
const NOT_A_DOCUMENT: ReadonlyMap<string, string> = new Map([
  ['background_check_completed', 'background checks'],
]);

/** Options of `createZapsignWebhookParser`. */
export type ZapsignWebhookOptions = Pick<ResolvedZapsignOptions, 'webhookSecret' | 'webhookHeader'>;

/** `parseWebhook` of the adapter: checks the shared-secret header, then reads the delivery. */
export function createZapsignWebhookParser(
  options: ZapsignWebhookOptions,
): (request: WebhookRequest) => Promise<WebhookResult> {
  const header = options.webhookHeader.toLowerCase();
  return async (request) => {
    verifySecret(request.headers, options.webhookSecret, header);
    const result = normalizeZapsignWebhook(request.body, deliveryTime(request.headers));
    return { ...result, deliveryKey: deliveryKeyOf(request.body) };
  };
}

/** Identical deliveries are one happening (ZapSign's bursts of identical `doc_viewed`): the body's digest names one. */
function deliveryKeyOf(body: string): string {
  return createHash('sha256').update(body).digest('hex');
}

/**
 * ZapSign signs nothing: the account owner sets a custom header on the webhook and the receiver compares it
 * with the shared secret. Compared as SHA-256 digests, so the comparison is constant-time whatever the
 * lengths; a failure names the header, never the secret.
 */
function verifySecret(headers: WebhookRequest['headers'], secret: string | undefined, header: string): void {
  if (secret === undefined) {
    throw new InvalidOptionsError(
      'webhookSecret',
      'required to verify ZapSign webhooks (the custom header value)',
    );
  }
  const given = headerValue(headers, header);
  const digest = (value: string) => createHash('sha256').update(value).digest();
  if (given === undefined || !timingSafeEqual(digest(given), digest(secret))) {
    throw new WebhookVerificationError(
      VENDOR,
      `webhook header "${header}" is missing or does not match the configured secret`,
    );
  }
}

function headerValue(headers: WebhookRequest['headers'], name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return value;
  }
  return undefined;
}

/** When the delivery arrived: its `Date` header, else now (for bodies without a time, e.g. `email_bounce`). */
function deliveryTime(headers: WebhookRequest['headers']): string {
  const date = Date.parse(headerValue(headers, 'date') ?? '');
  return normalizeTimestamp(new Date(Number.isNaN(date) ? Date.now() : date).toISOString());
}

/**
 * Pure: one ZapSign webhook body (raw text) → events with origin `webhook`. Ids are derived from the
 * delivery's content, so identical deliveries (ZapSign's bursts of `doc_viewed`) are one event. `receivedAt`
 * stands in for bodies that carry no time.
 */
export function normalizeZapsignWebhook(text: string, receivedAt: string): WebhookResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new VendorSchemaError(VENDOR, '$', 'a JSON webhook body');
  }
  const body = parseVendorPayload(VENDOR, webhookBodySchema, json);
  const raw = json as Record<string, unknown>;
  const eventType = eventTypeOf(body);
  const feature = NOT_A_DOCUMENT.get(eventType);
  if (feature !== undefined) return { events: [], warnings: [notADocument(eventType, feature)], reread: [] };
  const handler = HANDLERS[eventType];
  const warnings: AdapterWarning[] = handler ? [] : unmappedWarnings(VENDOR, new Map([[eventType, 1]]));
  const token = body.token;
  if (!token) {
    // An event of a kind we do not know that names no document: said, not stored under a made-up one.
    if (!handler) return { events: [], warnings, reread: [] };
    throw new VendorSchemaError(VENDOR, '$.token', 'the doc token (non-empty string)');
  }
  const drafts: Draft[] = handler ? handler(body) : [{ type: 'other', at: ['last_update_at', 'created_at'] }];
  const events = drafts.map((draft, seq) => eventOf(draft, seq, eventType, token, body, raw, receivedAt));
  return { events, warnings, reread: [token] };
}

function notADocument(eventType: string, feature: string): AdapterWarning {
  return {
    type: 'unsupported',
    feature,
    message: `${VENDOR}: ${eventType} concerns no document (it is not signing activity); nothing recorded`,
  };
}

// Some documented examples (doc_viewed) show no `event_type`: the event-specific signer object tells.
const TYPE_BY_SIGNER_OBJECT = [
  ['signer_who_signed', 'doc_signed'],
  ['signer_who_viewed', 'doc_viewed'],
  ['signer_who_read', 'doc_read_confirmation'],
  ['unauthenticated_signer', 'signer_authentication_failed'],
] as const;

function eventTypeOf(body: WebhookBody): string {
  if (body.event_type) return body.event_type;
  const found = TYPE_BY_SIGNER_OBJECT.find(([field]) => body[field]);
  if (found) return found[1];
  if (body.created_signer) {
    return body.created_signer.notification_channel || body.created_signer.sent_at
      ? 'signature_notification_sent'
      : 'created_signer';
  }
  throw new VendorSchemaError(VENDOR, '$.event_type', 'a ZapSign event type');
}

function eventOf(
  draft: Draft,
  seq: number,
  eventType: string,
  token: string,
  body: WebhookBody,
  raw: Record<string, unknown>,
  receivedAt: string,
): NormalizedEvent {
  const signer = draft.signer ?? undefined;
  const signerId = concernsSigner(draft.type, draft.data) ? signerIdOf(signer) : undefined;
  const data: EventData = { ...draft.data };
  const geo = geoOf(signer);
  if (geo !== undefined) data.geo = geo;
  const event: NormalizedEvent = {
    id: eventId(VENDOR, token, { delivery: raw, type: draft.type, signerId: signerId ?? null }),
    vendor: VENDOR,
    processId: token,
    type: draft.type,
    occurredAt: occurredAtOf(raw, draft.at, receivedAt),
    seq,
    actor: actorOf(draft.type, signer, body),
    data,
    vendorEvent: { type: eventType },
    origin: 'webhook',
    raw,
  };
  if (signerId !== undefined) event.signerId = signerId;
  if (draft.channel !== undefined) event.channel = draft.channel;
  return event;
}

/** Where the signer was (`geo_latitude`, `geo_longitude`) as `"<latitude>,<longitude>"`, when ZapSign says. */
function geoOf(signer: WebhookSigner | undefined): string | undefined {
  const latitude = signer?.geo_latitude;
  const longitude = signer?.geo_longitude;
  if (latitude == null || longitude == null || latitude === '' || longitude === '') return undefined;
  return `${latitude},${longitude}`;
}

/** Same identity as the signer log's `user`: the e-mail; the signer token when ZapSign has no e-mail. */
function signerIdOf(signer: WebhookSigner | undefined): string | undefined {
  return signer?.email || signer?.token || undefined;
}

function actorOf(type: EventType, signer: WebhookSigner | undefined, body: WebhookBody): Actor {
  const kind = actorKindOf(type);
  if (kind === 'system') return { kind, name: 'ZapSign' };
  const person = kind === 'signer' ? signer : { email: body.created_by?.email };
  const actor: Actor = { kind };
  if (person?.email) actor.email = person.email;
  if (kind === 'signer' && signer?.name) actor.name = signer.name;
  if (kind === 'signer' && signer?.token) actor.id = signer.token;
  return actor;
}

function refusingSigners(body: WebhookBody): WebhookSigner[] {
  const found = new Map<string, WebhookSigner>();
  for (const signer of [body.signer_who_signed, ...(body.signers ?? [])]) {
    if (!signer || signerStatusOf(signer.status ?? '') !== 'declined') continue;
    const key = signerIdOf(signer) ?? '';
    if (!found.has(key)) found.set(key, signer);
  }
  return [...found.values()];
}

function occurredAtOf(raw: Record<string, unknown>, paths: string[], receivedAt: string): string {
  for (const path of paths) {
    const value = path
      .split('.')
      .reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], raw);
    if (value === undefined || value === null || value === '') continue;
    try {
      return normalizeTimestamp(String(value));
    } catch (error) {
      throw new VendorSchemaError(VENDOR, `$.${path}`, 'an ISO 8601 timestamp', { cause: error });
    }
  }
  return receivedAt;
}
