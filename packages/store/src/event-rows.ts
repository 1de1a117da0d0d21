import { canonicalJson, type NormalizedEvent } from '@signtrail/core';
import { type SQL, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { events } from './schema.js';

/** The stored columns that make up an event (generated and bookkeeping columns left out). */
export const eventColumns = {
  id: events.id,
  vendor: events.vendor,
  processId: events.processId,
  type: events.type,
  occurredAt: events.occurredAt,
  seq: events.seq,
  actorKind: events.actorKind,
  actorEmail: events.actorEmail,
  actorName: events.actorName,
  actorId: events.actorId,
  signerId: events.signerId,
  documentId: events.documentId,
  channel: events.channel,
  data: events.data,
  vendorEvent: events.vendorEvent,
  origin: events.origin,
  confirmedBy: events.confirmedBy,
  raw: events.raw,
};

/** One stored event as `eventColumns` selects it. */
export interface EventRow {
  id: string;
  vendor: string;
  processId: string;
  type: string;
  occurredAt: string;
  seq: number;
  actorKind: string;
  actorEmail: string | null;
  actorName: string | null;
  actorId: string | null;
  signerId: string | null;
  documentId: string | null;
  channel: string | null;
  data: NormalizedEvent['data'];
  vendorEvent: NormalizedEvent['vendorEvent'];
  origin: string;
  confirmedBy: string | null;
  raw: NormalizedEvent['raw'];
}

/** The columns an ingest writes, in the order of `toEventRecord`'s keys. */
export const eventWriteColumns = [
  events.tenantId,
  events.id,
  events.vendor,
  events.processId,
  events.type,
  events.occurredAt,
  events.seq,
  events.actorKind,
  events.actorEmail,
  events.actorName,
  events.actorId,
  events.signerId,
  events.documentId,
  events.channel,
  events.data,
  events.vendorEvent,
  events.origin,
  events.raw,
];

/**
 * The row of `event` in `tenant`, keyed by column name (absent optional fields become NULL). `confirmedBy`
 * is not written: it depends on the other events of the process, and the re-fold derives it.
 */
export function toEventRecord(tenant: string, event: NormalizedEvent): Record<string, unknown> {
  return {
    tenant_id: tenant,
    id: event.id,
    vendor: event.vendor,
    process_id: event.processId,
    type: event.type,
    occurred_at: event.occurredAt,
    seq: event.seq,
    actor_kind: event.actor.kind,
    actor_email: event.actor.email,
    actor_name: event.actor.name,
    actor_id: event.actor.id,
    signer_id: event.signerId,
    document_id: event.documentId,
    channel: event.channel,
    data: event.data,
    vendor_event: event.vendorEvent,
    origin: event.origin,
    raw: event.raw,
  };
}

/** The event a row holds, exactly as it was ingested (NULL columns become absent fields). */
export function fromEventRow(row: EventRow): NormalizedEvent {
  const actor: NormalizedEvent['actor'] = { kind: row.actorKind as NormalizedEvent['actor']['kind'] };
  if (row.actorEmail !== null) actor.email = row.actorEmail;
  if (row.actorName !== null) actor.name = row.actorName;
  if (row.actorId !== null) actor.id = row.actorId;
  const event: NormalizedEvent = {
    id: row.id,
    vendor: row.vendor,
    processId: row.processId,
    type: row.type as NormalizedEvent['type'],
    occurredAt: row.occurredAt,
    seq: row.seq,
    actor,
    data: row.data,
    vendorEvent: row.vendorEvent,
    origin: row.origin as NormalizedEvent['origin'],
    raw: row.raw,
  };
  if (row.signerId !== null) event.signerId = row.signerId;
  if (row.documentId !== null) event.documentId = row.documentId;
  if (row.channel !== null) event.channel = row.channel;
  if (row.confirmedBy !== null) event.confirmedBy = row.confirmedBy;
  return event;
}

/**
 * The event of a row as JSON text, built by the database with `fromEventRow`'s rules (NULL columns are
 * absent fields). The JSON columns are copied as PostgreSQL prints them, so nothing is parsed in Node.
 * One `concat` (NULL arguments add nothing) rather than a chain of `||`, which copied the growing text at
 * every step: the page query's JSON cost halved. `type`, `actor_kind` and `origin` are enum values and
 * `occurred_at` is held to its form by a check, so they are quoted without `to_json`.
 */
const eventJsonTemplate = sql`concat('{"id":', to_json(${events.id}),
  ',"vendor":', to_json(${events.vendor}),
  ',"processId":', to_json(${events.processId}),
  ',"type":"', ${events.type},
  '","occurredAt":"', ${events.occurredAt},
  '","seq":', ${events.seq},
  ',"actor":{"kind":"', ${events.actorKind}, '"',
  ',"email":' || to_json(${events.actorEmail}),
  ',"name":' || to_json(${events.actorName}),
  ',"id":' || to_json(${events.actorId}), '}',
  ',"signerId":' || to_json(${events.signerId}),
  ',"documentId":' || to_json(${events.documentId}),
  ',"channel":' || to_json(${events.channel}),
  ',"data":', ${events.data},
  ',"vendorEvent":', ${events.vendorEvent},
  ',"origin":"', ${events.origin}, '"',
  ',"confirmedBy":' || to_json(${events.confirmedBy}),
  ',"raw":', ${events.raw}, '}')`;

/** `eventJsonTemplate` as one piece of SQL text, rendered once: a query no longer walks its forty parts. */
export const eventJson: SQL<string> = sql<string>`${sql.raw(new PgDialect().sqlToQuery(eventJsonTemplate).sql)}`;

/** What makes two versions of an event the same record: everything but the derived `confirmedBy`. */
export function contentForm(event: NormalizedEvent): string {
  return canonicalJson({ ...event, confirmedBy: undefined });
}
