import type { EventData, ProcessSigner, VendorEvent } from '@signtrail/core';
import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  customType,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/** A roster signer as stored: what the state shows, never the vendor's phone or SSN. */
export type RosterSigner = Pick<ProcessSigner, 'signerId' | 'name' | 'email'>;

/**
 * Text compared byte by byte. `occurred_at` holds core's fixed-width RFC 3339 UTC form, whose byte order is
 * its time order; the "C" collation makes PostgreSQL (any locale) and PGlite sort it, and ids, exactly as
 * JavaScript does, so keyset cursors compare the same everywhere.
 */
const byteText = customType<{ data: string; driverData: string }>({
  dataType: () => 'text COLLATE "C"',
});

const tsvector = customType<{ data: string; driverData: string }>({ dataType: () => 'tsvector' });

/** The words free-text search looks at: process id, signer id/name/e-mail/phone, actor, file name. */
const searchText = sql`to_tsvector('simple',
  "process_id" || ' ' ||
  coalesce("signer_id", '') || ' ' ||
  coalesce("actor_name", '') || ' ' ||
  coalesce("actor_email", '') || ' ' ||
  coalesce("data"->>'signerName', '') || ' ' ||
  coalesce("data"->>'signerEmail', '') || ' ' ||
  coalesce("data"->>'signerPhone', '') || ' ' ||
  coalesce("data"->>'fileName', ''))`;

export const tenants = pgTable('tenants', {
  id: text('id').primaryKey(),
  name: text('name'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const vendorConnections = pgTable(
  'vendor_connections',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    vendor: text('vendor').notNull(),
    settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
    /** AES-256-GCM sealed credentials (`v1.<iv>.<tag>.<ciphertext>`), never plaintext. */
    credentials: text('credentials'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.vendor] })],
);

export const events = pgTable(
  'events',
  {
    tenantId: text('tenant_id').notNull(),
    id: byteText('id').notNull(),
    vendor: text('vendor').notNull(),
    processId: text('process_id').notNull(),
    type: text('type').notNull(),
    occurredAt: byteText('occurred_at').notNull(),
    seq: integer('seq').notNull(),
    actorKind: text('actor_kind').notNull(),
    actorEmail: text('actor_email'),
    actorName: text('actor_name'),
    actorId: text('actor_id'),
    signerId: text('signer_id'),
    documentId: text('document_id'),
    channel: text('channel'),
    data: jsonb('data').$type<EventData>().notNull(),
    vendorEvent: jsonb('vendor_event').$type<VendorEvent>().notNull(),
    origin: text('origin').notNull(),
    /** A webhook event's link to the event recording the same happening; derived by core `reconcile`. */
    confirmedBy: byteText('confirmed_by'),
    raw: jsonb('raw').$type<Record<string, unknown>>().notNull(),
    /**
     * The event as the API serves it, rendered once when it is stored (without the derived `confirmedBy`,
     * which a page adds): a page of events is then read, not built, by the database.
     */
    servedJson: text('served_json').notNull(),
    ingestedAt: timestamp('ingested_at', { withTimezone: true }).notNull().defaultNow(),
    /** The signer's e-mail, lower-cased, from the event's data or its signer actor. */
    signerEmail: text('signer_email').generatedAlwaysAs(
      sql`lower(coalesce("data"->>'signerEmail', CASE WHEN "actor_kind" = 'signer' THEN "actor_email" END))`,
    ),
    search: tsvector('search').notNull().generatedAlwaysAs(searchText),
  },
  (t) => [
    // Per tenant: event ids are deterministic per vendor record, so two tenants may hold the same one.
    // No foreign key to tenants here: its per-row check cost a quarter of the insert time, and the only
    // writer (ingest) creates the tenant in the same transaction.
    primaryKey({ columns: [t.tenantId, t.id] }),
    check(
      'events_occurred_at_form',
      sql`${t.occurredAt} ~ '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}Z$'`,
    ),
    index('events_time_idx').on(t.tenantId, t.occurredAt, t.id),
    index('events_process_idx').on(t.tenantId, t.vendor, t.processId, t.occurredAt),
    index('events_vendor_time_idx').on(t.tenantId, t.vendor, t.occurredAt),
    index('events_type_time_idx').on(t.tenantId, t.type, t.occurredAt),
    index('events_signer_email_idx').on(t.tenantId, t.signerEmail).where(sql`${t.signerEmail} IS NOT NULL`),
    index('events_search_idx').using('gin', t.search),
  ],
);

export const processStates = pgTable(
  'process_states',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    vendor: text('vendor').notNull(),
    processId: text('process_id').notNull(),
    status: text('status').notNull(),
    /** What the vendor last said besides its log; kept so a re-fold applies it again. */
    vendorStatus: text('vendor_status'),
    statusHint: text('status_hint'),
    /** The vendor's roster (id, name, e-mail only: no phone or SSN at rest), kept so a re-fold seeds it again. */
    roster: jsonb('roster').$type<RosterSigner[]>(),
    state: jsonb('state').notNull(),
    eventCount: integer('event_count').notNull(),
    lastEventAt: byteText('last_event_at'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.vendor, t.processId] }),
    index('process_states_status_idx').on(t.tenantId, t.status),
    index('process_states_recent_idx').on(t.tenantId, t.lastEventAt),
  ],
);

export const syncCursors = pgTable(
  'sync_cursors',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    vendor: text('vendor').notNull(),
    /** Everything the vendor logged before this instant is stored: the `to` of the last completed walk. */
    cursor: byteText('cursor'),
    /** The walk in progress (or last walked): its window and what it has committed so far. */
    walkFrom: byteText('walk_from'),
    walkTo: byteText('walk_to'),
    walkProcesses: integer('walk_processes').notNull().default(0),
    walkEvents: bigint('walk_events', { mode: 'number' }).notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.vendor] })],
);

export const ingestionWarnings = pgTable(
  'ingestion_warnings',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    vendor: text('vendor').notNull(),
    processId: text('process_id'),
    type: text('type').notNull(),
    feature: text('feature'),
    vendorType: text('vendor_type'),
    count: integer('count'),
    message: text('message').notNull(),
    /** Hash of the warning and its process: the same warning seen again bumps `occurrences`. */
    fingerprint: text('fingerprint').notNull(),
    occurrences: integer('occurrences').notNull().default(1),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('ingestion_warnings_fingerprint_idx').on(t.tenantId, t.fingerprint)],
);

export const eventAnomalies = pgTable(
  'event_anomalies',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    eventId: byteText('event_id').notNull(),
    vendor: text('vendor').notNull(),
    processId: text('process_id').notNull(),
    code: text('code').notNull(),
    /** The rejected version, in full; the stored event is never overwritten. */
    incoming: jsonb('incoming').notNull(),
    incomingHash: text('incoming_hash').notNull(),
    detectedAt: timestamp('detected_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('event_anomalies_version_idx').on(t.tenantId, t.eventId, t.incomingHash),
    index('event_anomalies_process_idx').on(t.tenantId, t.vendor, t.processId),
  ],
);

/** API keys: each bound to one tenant. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    /** SHA-256 (hex) of the key; the key itself is shown once and never stored. */
    keyHash: text('key_hash').notNull(),
    name: text('name'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('api_keys_hash_idx').on(t.keyHash)],
);

/** The id naming a vendor connection in its webhook URL (random, so URLs do not reveal tenants). */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    vendor: text('vendor').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('webhook_endpoints_connection_idx').on(t.tenantId, t.vendor),
    foreignKey({
      columns: [t.tenantId, t.vendor],
      foreignColumns: [vendorConnections.tenantId, vendorConnections.vendor],
    }).onDelete('cascade'),
  ],
);

/** Verified webhook deliveries, committed before the receiver answers; processed by a worker. */
export const webhookInbox = pgTable(
  'webhook_inbox',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: text('tenant_id').notNull(),
    vendor: text('vendor').notNull(),
    connectionId: text('connection_id').notNull(),
    method: text('method').notNull(),
    /** The body exactly as received (headers, which carry secrets, are not kept). */
    body: text('body').notNull(),
    query: jsonb('query').$type<Record<string, string | undefined>>().notNull().default({}),
    /** What the adapter read from the delivery on receipt (events, warnings, processes to re-read). */
    result: jsonb('result').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    attempts: integer('attempts').notNull().default(0),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    /** `pending`, `processed`, `rejected`, or `failed` (retried after its lease). */
    status: text('status').notNull().default('pending'),
    error: text('error'),
    events: integer('events'),
    processedAt: timestamp('processed_at', { withTimezone: true }),
    /** The adapter's `deliveryKey`: a second delivery with the same key on one connection is a replay. */
    deliveryKey: text('delivery_key'),
  },
  (t) => [
    index('webhook_inbox_pending_idx').on(t.id).where(sql`${t.processedAt} IS NULL`),
    uniqueIndex('webhook_inbox_delivery_key_idx')
      .on(t.connectionId, t.deliveryKey)
      .where(sql`${t.deliveryKey} IS NOT NULL`),
  ],
);
