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
  events.servedJson,
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
    served_json: servedJson(event),
  };
}

/**
 * The JSON a page serves for `event`, rendered once as it is stored: `fromEventRow`'s fields in its order
 * (absent fields left out), without `confirmedBy`, which the re-fold derives later and `eventJson` adds.
 */
export function servedJson(event: NormalizedEvent): string {
  const { actor } = event;
  return JSON.stringify({
    id: event.id,
    vendor: event.vendor,
    processId: event.processId,
    type: event.type,
    occurredAt: event.occurredAt,
    seq: event.seq,
    actor: { kind: actor.kind, email: actor.email, name: actor.name, id: actor.id },
    data: event.data,
    vendorEvent: event.vendorEvent,
    origin: event.origin,
    raw: event.raw,
    signerId: event.signerId,
    documentId: event.documentId,
    channel: event.channel,
  });
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
 * The event of a row as JSON text, as `fromEventRow` reads it: the text rendered at ingest, with
 * `confirmedBy` appended when the event has one. Rendered to SQL text once: a query does not walk its parts.
 */
export const eventJson: SQL<string> = sql<string>`${sql.raw(
  new PgDialect().sqlToQuery(
    sql`CASE WHEN ${events.confirmedBy} IS NULL THEN ${events.servedJson}
      ELSE left(${events.servedJson}, -1) || ',"confirmedBy":' || to_json(${events.confirmedBy}) || '}' END`,
  ).sql,
)}`;

/** What makes two versions of an event the same record: everything but the derived `confirmedBy`. */
export function contentForm(event: NormalizedEvent): string {
  return canonicalJson({ ...event, confirmedBy: undefined });
}
