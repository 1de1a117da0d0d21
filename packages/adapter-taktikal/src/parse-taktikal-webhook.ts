import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  type AdapterWarning,
  InvalidOptionsError,
  unmappedWarnings,
  VendorSchemaError,
  type WebhookRequest,
  type WebhookResult,
  WebhookVerificationError,
} from '@signtrail/core';
import { mapTaktikalWebhookEvent } from './map-taktikal-event.js';
import { VENDOR } from './taktikal-api.js';

/** Options of `createTaktikalWebhookParser`. */
export interface TaktikalWebhookOptions {
  /** The key Taktikal signs webhooks with. */
  secret?: string;
  toleranceMs: number;
}

/** .NET ticks (100 ns since 0001-01-01) at the Unix epoch, and per millisecond. */
const EPOCH_TICKS = 621_355_968_000_000_000n;
const TICKS_PER_MS = 10_000n;

/**
 * Parses Taktikal webhooks (`{ Id, EventData, EventSignature }`). The signature
 * `base64(HMAC-SHA256(key, String(TimeStamp) + Guid))` proves who sent it and when, not what the body
 * says, so a verified delivery yields no events: it asks for a re-read of its process (the log
 * decides). Wrong signature or a `TimeStamp` outside the tolerance → `WebhookVerificationError` (401). The
 * signed `Guid` is the `deliveryKey`: the caller's store recognizes replays, across restarts and instances
 * (a memory here could take the vendor's retry of a delivery that failed to commit for a replay, and lose
 * it). Nothing of the body (e.g. `SignedDocument`) is kept.
 */
export function createTaktikalWebhookParser(
  options: TaktikalWebhookOptions,
): (request: WebhookRequest) => Promise<WebhookResult> {
  return async (request) => {
    if (!options.secret) {
      throw new InvalidOptionsError('webhookSecret', 'required to verify Taktikal webhooks');
    }
    const body = parseBody(request.body);
    const signature = signatureOf(body, request.body);
    const given = Buffer.from(signature.signature, 'base64');
    const timeStamp = signature.timeStamps.find((candidate) => {
      const expected = createHmac('sha256', options.secret!).update(`${candidate}${signature.guid}`).digest();
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
    if (timeStamp === undefined) throw rejected('webhook signature does not match');
    const atMs = Number((BigInt(timeStamp) - EPOCH_TICKS) / TICKS_PER_MS);
    if (Math.abs(Date.now() - atMs) > options.toleranceMs) {
      throw rejected('webhook timestamp is outside the accepted window');
    }
    const { processKey, eventType } = eventDataOf(body);
    const warnings: AdapterWarning[] =
      eventType === undefined || mapTaktikalWebhookEvent(eventType)
        ? []
        : unmappedWarnings(VENDOR, new Map([[`webhook EventType ${eventType}`, 1]]));
    // The signed nonce names the delivery: a replay carries the same one.
    return { events: [], warnings, reread: [processKey], deliveryKey: signature.guid };
  };
}

function rejected(reason: string): WebhookVerificationError {
  return new WebhookVerificationError(VENDOR, reason);
}

function parseBody(text: string): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new VendorSchemaError(VENDOR, '$', 'a JSON webhook body');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new VendorSchemaError(VENDOR, '$', 'an object { Id, EventData, EventSignature }');
  }
  return body as Record<string, unknown>;
}

interface EventSignature {
  /** `TimeStamp` digits as sent (see `rawTimeStamps`): one, or several when the body is ambiguous. */
  timeStamps: string[];
  guid: string;
  signature: string;
}

function signatureOf(body: Record<string, unknown>, text: string): EventSignature {
  const value = body.EventSignature;
  if (value === null || typeof value !== 'object') throw rejected('webhook is not signed');
  const { TimeStamp, Guid, Signature } = value as Record<string, unknown>;
  if (typeof Guid !== 'string' || Guid === '' || typeof Signature !== 'string' || Signature === '') {
    throw rejected('webhook is not signed');
  }
  const timeStamps = typeof TimeStamp === 'string' ? [TimeStamp] : rawTimeStamps(TimeStamp, text);
  if (!timeStamps.every((digits) => /^\d{1,20}$/.test(digits))) throw badTimeStamp();
  return { timeStamps, guid: Guid, signature: Signature };
}

/**
 * The digits of a numeric `TimeStamp` as they appear in the body. `JSON.parse` rounds numbers past 2^53
 * (every current tick count) and the signature covers the sender's digits, so they are read from the
 * text: each `"TimeStamp": <digits>` member whose value parses to the same number is a candidate (a
 * nested `Meta` could hold another); the HMAC check picks the signed one.
 */
function rawTimeStamps(parsed: unknown, text: string): string[] {
  if (typeof parsed !== 'number' || !Number.isInteger(parsed) || parsed < 0) throw badTimeStamp();
  if (Number.isSafeInteger(parsed)) return [String(parsed)];
  const candidates = new Set<string>();
  const member = /"TimeStamp"\s*:\s*(\d+)/g;
  for (let match = member.exec(text); match; match = member.exec(text)) {
    if (Number(match[1]) === parsed) candidates.add(match[1]!);
  }
  return [...candidates];
}

function badTimeStamp(): VendorSchemaError {
  return new VendorSchemaError(VENDOR, '$.EventSignature.TimeStamp', '.NET ticks (an integer)');
}

function eventDataOf(body: Record<string, unknown>): { processKey: string; eventType?: number } {
  const data = body.EventData;
  if (data === null || typeof data !== 'object') {
    throw new VendorSchemaError(VENDOR, '$.EventData', 'an object');
  }
  const { ProcessKey, EventType } = data as Record<string, unknown>;
  if (typeof ProcessKey !== 'string' || ProcessKey === '') {
    throw new VendorSchemaError(VENDOR, '$.EventData.ProcessKey', 'a process key');
  }
  if (EventType !== undefined && EventType !== null && !Number.isInteger(EventType)) {
    throw new VendorSchemaError(VENDOR, '$.EventData.EventType', 'an integer');
  }
  return { processKey: ProcessKey, eventType: (EventType as number | null | undefined) ?? undefined };
}
