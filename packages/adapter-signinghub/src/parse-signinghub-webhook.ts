import { createHash, timingSafeEqual } from 'node:crypto';
import {
  InvalidOptionsError,
  parseVendorPayload,
  VendorSchemaError,
  type WebhookRequest,
  type WebhookResult,
  WebhookVerificationError,
} from '@signtrail/core';
import { callbackSchema, VENDOR } from './signinghub-api.js';

/** Header carrying the per-connection secret (the alternative is `?secret=` or a path segment the server passes as `query.secret`). */
export const SECRET_HEADER = 'x-signtrail-secret';

/** Options of `createSigninghubWebhookParser`. */
export interface SigninghubWebhookOptions {
  /** The connection's shared secret; SigningHub signs nothing, so this is the only proof of origin. */
  secret: string | undefined;
}

/**
 * SigningHub callbacks: the POST body (`package_id`, `package_name`, `package_owner`, `owner_name`,
 * `package_status`, `uploaded_on`, `modified_on`, `document[]`; the event type — SHARED, SIGNED, REVIEWED,
 * DECLINED, EDITED, CARBON_COPIED, RECALLED, REMINDED, COMPLETED, EVIDENCE_REPORT_GENERATED,
 * DOCUMENT_DELETED — is the subscription's, not the body's) and the legacy browser redirect (GET with
 * `document_id`, `user_email`, `language`). Neither is signed: the per-connection secret is checked in
 * constant time (a mismatch is a `WebhookVerificationError`), and the delivery only triggers a re-read of the package log (no events of its own).
 */
export function createSigninghubWebhookParser(
  options: SigninghubWebhookOptions,
): (request: WebhookRequest) => Promise<WebhookResult> {
  return async (request) => {
    if (options.secret === undefined) {
      throw new InvalidOptionsError('webhookSecret', 'required to verify SigningHub callbacks');
    }
    verifySecret(request, options.secret);
    return { ...callbackOf(request), deliveryKey: deliveryKeyOf(request) };
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

function callbackOf(request: WebhookRequest): WebhookResult {
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
  return { events: [], warnings: [], reread: [String(callback.package_id)] };
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
