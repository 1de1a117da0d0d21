import { createHash, timingSafeEqual } from 'node:crypto';
import {
  type AdapterWarning,
  type EventType,
  eventId,
  InvalidOptionsError,
  type NormalizedEvent,
  parseVendorPayload,
  VendorSchemaError,
  type WebhookRequest,
  type WebhookResult,
  WebhookVerificationError,
} from '@signtrail/core';
import { occurredAt } from './normalize-signinghub.js';
import { callbackSchema, VENDOR } from './signinghub-api.js';

/** Header carrying the per-connection secret (the alternative is `?secret=` or a path segment the server passes as `query.secret`). */
export const SECRET_HEADER = 'x-signtrail-secret';

/** Options of `createSigninghubWebhookParser`. */
export interface SigninghubWebhookOptions {
  /** The connection's shared secret; SigningHub signs nothing, so this is the only proof of origin. */
  secret: string | undefined;
  /** IANA zone the callback's zone-less `modified_on` is read in (the account's zone). Default `UTC`. */
  timeZone?: string;
}

/**
 * `package_status` words whose callback is an event at once, which stays when the log never confirms it:
 * SigningHub can clear a package's log when its workflow completes. A decline is not among them: the log,
 * which is not cleared then, records it as the recipient's own `signer.declined`, which a signer-less
 * `process.declined` from the body could never be matched to (one happening would count twice). Other
 * statuses only trigger the re-read.
 */
const CLOSING: Readonly<Record<string, EventType>> = {
  COMPLETED: 'process.completed',
};

/**
 * SigningHub callbacks: the POST body (`package_id`, `package_name`, `package_owner`, `owner_name`,
 * `package_status`, `uploaded_on`, `modified_on`, `document[]`; the event type — SHARED, SIGNED, REVIEWED,
 * DECLINED, EDITED, CARBON_COPIED, RECALLED, REMINDED, COMPLETED, EVIDENCE_REPORT_GENERATED,
 * DOCUMENT_DELETED — is the subscription's, not the body's) and the legacy browser redirect (GET with
 * `document_id`, `user_email`, `language`). Neither is signed: the per-connection secret is checked in
 * constant time (a mismatch is a `WebhookVerificationError`). Every delivery triggers a re-read of the package
 * log; a POST whose `package_status` is COMPLETED is also an event of its own.
 */
export function createSigninghubWebhookParser(
  options: SigninghubWebhookOptions,
): (request: WebhookRequest) => Promise<WebhookResult> {
  return async (request) => {
    if (options.secret === undefined) {
      throw new InvalidOptionsError('webhookSecret', 'required to verify SigningHub callbacks');
    }
    verifySecret(request, options.secret);
    return { ...callbackOf(request, options.timeZone ?? 'UTC'), deliveryKey: deliveryKeyOf(request) };
  };
}

/**
 * SigningHub sends no delivery id: a digest of method, body and query names the delivery, so an identical
 * callback is a replay. The `secret` member is left out (a key must never reveal or depend on it).
 */
function deliveryKeyOf(request: WebhookRequest): string {
  const query = Object.entries(request.query ?? {})
    .filter(([name, value]) => name !== 'secret' && value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const identity = JSON.stringify([request.method.toUpperCase(), request.body, query]);
  return createHash('sha256').update(identity).digest('hex');
}

function callbackOf(request: WebhookRequest, timeZone: string): WebhookResult {
  const method = request.method.toUpperCase();
  if (method === 'GET') {
    // Legacy redirect: `document_id` is the package id (v3 called packages documents).
    const packageId = request.query?.document_id;
    if (!packageId) throw new VendorSchemaError(VENDOR, '$.query.document_id', 'the package id');
    return { events: [], warnings: [], reread: [packageId] };
  }
  if (method !== 'POST') {
    return {
      events: [],
      warnings: [
        {
          type: 'unsupported',
          feature: `webhook method ${method}`,
          message: `${VENDOR}: callbacks are POST (or the legacy GET redirect); ${method} ignored`,
        },
      ],
      reread: [],
    };
  }
  let body: unknown;
  try {
    body = JSON.parse(request.body);
  } catch (error) {
    throw new VendorSchemaError(VENDOR, '$', 'a JSON callback body', { cause: error });
  }
  const callback = parseVendorPayload(VENDOR, callbackSchema, body);
  const processId = String(callback.package_id);
  const type = CLOSING[callback.package_status ?? ''];
  if (type === undefined) return { events: [], warnings: [], reread: [processId] };
  const at = modifiedAt(callback.modified_on, timeZone);
  if (at === undefined) {
    const warning: AdapterWarning = {
      type: 'data',
      message: `${VENDOR}: ${callback.package_status} callback of package ${processId} has no readable modified_on; no event, the log is re-read`,
    };
    return { events: [], warnings: [warning], reread: [processId] };
  }
  const status = callback.package_status!;
  const event: NormalizedEvent = {
    // Keyed by what the delivery says, so an identical delivery is the same event.
    id: eventId(VENDOR, processId, { callback: status, modified_on: callback.modified_on }),
    vendor: VENDOR,
    processId,
    type,
    occurredAt: at,
    seq: 0,
    actor: { kind: 'system' },
    data: {},
    vendorEvent: { type: `callback ${status}` },
    origin: 'webhook',
    raw: body as Record<string, unknown>,
  };
  return { events: [event], warnings: [], reread: [processId] };
}

/** `modified_on` (zone-less, the account's zone) as RFC 3339 UTC, or undefined when absent or unreadable. */
function modifiedAt(value: string | null | undefined, timeZone: string): string | undefined {
  if (!value) return undefined;
  try {
    return occurredAt(value, timeZone);
  } catch (error) {
    if (error instanceof VendorSchemaError) return undefined;
    throw error;
  }
}

/** Compares SHA-256 digests (equal length whatever was sent) so timing reveals nothing of the secret. */
function verifySecret(request: WebhookRequest, secret: string): void {
  const given = headerOf(request.headers, SECRET_HEADER) ?? request.query?.secret;
  const expected = createHash('sha256').update(secret).digest();
  const actual = createHash('sha256')
    .update(given ?? '')
    .digest();
  if (given === undefined || !timingSafeEqual(expected, actual)) {
    throw new WebhookVerificationError(VENDOR, 'webhook secret missing or wrong');
  }
}

function headerOf(headers: WebhookRequest['headers'], name: string): string | undefined {
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() === name) return headers[key];
  }
  return undefined;
}
