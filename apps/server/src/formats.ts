import type { NormalizedEvent } from '@signtrail/core';

/** The media type of a CloudEvents 1.0 JSON batch. */
export const CLOUDEVENTS_BATCH = 'application/cloudevents-batch+json';

/** One event as a CloudEvent 1.0 (structured JSON): the normalized event is its data. */
export function toCloudEvent(event: NormalizedEvent): Record<string, unknown> {
  return {
    specversion: '1.0',
    id: event.id,
    source: `/signtrail/${event.vendor}`,
    type: `dev.signtrail.${event.type}`,
    subject: event.processId,
    time: event.occurredAt,
    datacontenttype: 'application/json',
    data: event,
  };
}

const CSV_COLUMNS = [
  'id',
  'vendor',
  'processId',
  'type',
  'occurredAt',
  'seq',
  'actorKind',
  'actorName',
  'actorEmail',
  'signerId',
  'documentId',
  'channel',
  'origin',
  'vendorEventType',
] as const;

function csvCell(value: string | number | undefined): string {
  if (value === undefined) return '';
  const text = String(value);
  // Quote what needs it, and defuse spreadsheet formulas in vendor-provided text.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A timeline as CSV (RFC 4180, one header row), one row per event. */
export function toCsv(events: readonly NormalizedEvent[]): string {
  const rows = events.map((event) =>
    [
      event.id,
      event.vendor,
      event.processId,
      event.type,
      event.occurredAt,
      event.seq,
      event.actor.kind,
      event.actor.name,
      event.actor.email,
      event.signerId,
      event.documentId,
      event.channel,
      event.origin,
      event.vendorEvent.type,
    ]
      .map(csvCell)
      .join(','),
  );
  return `${[CSV_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}

/** A timeline as NDJSON, one event per line. */
export function toNdjson(events: readonly NormalizedEvent[]): string {
  return events.map((event) => `${JSON.stringify(event)}\n`).join('');
}
