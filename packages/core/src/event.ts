import { z } from 'zod';
import { TAXONOMY } from './taxonomy.js';

/** Version of the normalized event schema; bumped only on breaking changes. */
export const EVENT_SCHEMA_VERSION = 1;

/** RFC 3339 UTC instant with exactly six fractional digits, as `normalizeTimestamp` produces. */
export const occurredAtSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/, 'RFC 3339 UTC with microseconds');

export const actorSchema = z.object({
  kind: z.enum(['signer', 'user', 'system']),
  email: z.string().optional(),
  name: z.string().optional(),
  id: z.string().optional(),
});

/** Type-specific normalized details; the named keys are the shared vocabulary, others are allowed. */
export const eventDataSchema = z.looseObject({
  signatureType: z.string().optional(),
  deliveryStatus: z.string().optional(),
  method: z.string().optional(),
  verification: z.string().optional(),
  reason: z.string().optional(),
  recipientRole: z.string().optional(),
  signerName: z.string().optional(),
  signerEmail: z.string().optional(),
  signerPhone: z.string().optional(),
  signerSsn: z.string().optional(),
  fileName: z.string().optional(),
  ip: z.string().optional(),
  userAgent: z.string().optional(),
  geo: z.string().optional(),
});

export const vendorEventSchema = z.object({
  type: z.string(),
  id: z.string().optional(),
  description: z.string().optional(),
});

/** The normalized event (schema version 1), identical for every vendor. */
export const normalizedEventSchema = z.object({
  id: z.string().min(1),
  vendor: z.string().min(1),
  processId: z.string().min(1),
  type: z.enum(TAXONOMY),
  occurredAt: occurredAtSchema,
  seq: z.number().int().nonnegative(),
  actor: actorSchema,
  signerId: z.string().optional(),
  documentId: z.string().optional(),
  channel: z.string().optional(),
  data: eventDataSchema,
  vendorEvent: vendorEventSchema,
  origin: z.enum(['log', 'webhook']),
  /** On a webhook event: the id of the event that records the same happening (see `reconcile`). */
  confirmedBy: z.string().optional(),
  raw: z.record(z.string(), z.unknown()),
});

export type Actor = z.infer<typeof actorSchema>;
export type EventData = z.infer<typeof eventDataSchema>;
export type VendorEvent = z.infer<typeof vendorEventSchema>;
/** One normalized audit event. */
export type NormalizedEvent = z.infer<typeof normalizedEventSchema>;

/** JSON Schema (draft 2020-12) of the normalized event, generated from the zod schema. */
export function eventJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(normalizedEventSchema, { target: 'draft-2020-12' }) as Record<string, unknown>;
}
