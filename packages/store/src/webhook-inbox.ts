import { randomBytes } from 'node:crypto';
import type { WebhookRequest, WebhookResult } from '@signtrail/core';
import { and, desc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import { type Db, queryRows } from './database.js';
import { checkLimit, checkOffset } from './queries.js';
import { vendorConnections, webhookEndpoints, webhookInbox } from './schema.js';
import { storable } from './storable-text.js';

/** A verified webhook delivery to commit: the request (without headers) and what the adapter read. */
export interface NewInboxDelivery {
  tenant: string;
  vendor: string;
  connectionId: string;
  request: Pick<WebhookRequest, 'method' | 'body' | 'query'>;
  result: WebhookResult;
}

/**
 * A claimed delivery: what the adapter read, for the worker. The raw request stays in its inbox row (a
 * Taktikal body carries the signed document: claiming a batch must not load tens of megabytes each).
 */
export interface InboxDelivery extends Omit<NewInboxDelivery, 'request'> {
  id: string;
  receivedAt: Date;
  attempts: number;
}

/** How processing of a delivery ended; `failed` is retried after its lease. */
export interface InboxOutcome {
  status: 'processed' | 'rejected' | 'failed';
  events?: number;
  /** A stable error code, never a message. */
  error?: string;
}

/** The webhook id of a tenant's connection (created on first ask), or `undefined` without a connection. */
export async function connectionId(db: Db, tenant: string, vendor: string): Promise<string | undefined> {
  const [connection] = await db
    .select({ vendor: vendorConnections.vendor })
    .from(vendorConnections)
    .where(and(eq(vendorConnections.tenantId, tenant), eq(vendorConnections.vendor, vendor)));
  if (!connection) return undefined;
  await db
    .insert(webhookEndpoints)
    .values({ id: randomBytes(12).toString('base64url'), tenantId: tenant, vendor })
    .onConflictDoNothing();
  const [row] = await db
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.tenantId, tenant), eq(webhookEndpoints.vendor, vendor)));
  return row?.id;
}

/** The (tenant, vendor) a webhook id names, when it names a connection of `vendor`. */
export async function endpointOf(
  db: Db,
  vendor: string,
  id: string,
): Promise<{ tenant: string } | undefined> {
  const [row] = await db
    .select({ tenant: webhookEndpoints.tenantId })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.vendor, vendor)));
  return row;
}

/** What `enqueueWebhook` did: the delivery's row, and whether that row was already there (a replay). */
export interface EnqueuedDelivery {
  id: string;
  /** True: the connection already had a delivery with this `deliveryKey`; nothing was stored. */
  duplicate: boolean;
}

/**
 * Commits a delivery; resolves once it is durable. A `result.deliveryKey` already stored for the connection is
 * a replay: no new row, the existing row's id. Insert-or-nothing then select is safe under concurrency: a
 * racing insert of the same key makes this one wait for its commit, then do nothing.
 */
export async function enqueueWebhook(db: Db, input: NewInboxDelivery): Promise<EnqueuedDelivery> {
  const deliveryKey = input.result.deliveryKey ?? null;
  const [row] = await db
    .insert(webhookInbox)
    .values({
      tenantId: input.tenant,
      vendor: input.vendor,
      connectionId: input.connectionId,
      method: input.request.method,
      body: storable(input.request.body),
      query: storable(input.request.query ?? {}),
      result: storable(input.result),
      deliveryKey,
    })
    .onConflictDoNothing({
      target: [webhookInbox.connectionId, webhookInbox.deliveryKey],
      where: sql`${webhookInbox.deliveryKey} IS NOT NULL`,
    })
    .returning({ id: webhookInbox.id });
  if (row) return { id: String(row.id), duplicate: false };
  const [existing] = await db
    .select({ id: webhookInbox.id })
    .from(webhookInbox)
    .where(
      and(eq(webhookInbox.connectionId, input.connectionId), eq(webhookInbox.deliveryKey, deliveryKey!)),
    );
  // Inbox rows are never deleted, so the row that won the conflict is there once it is committed.
  if (!existing) throw new Error('webhook inbox: conflicting delivery key without a row');
  return { id: String(existing.id), duplicate: true };
}

interface InboxRow {
  id: string | number;
  tenant_id: string;
  vendor: string;
  connection_id: string;
  result: WebhookResult | string;
  received_at: Date | string;
  attempts: number;
}

/** Leases up to `limit` unprocessed deliveries, oldest first; rows leased by others are skipped. */
export async function claimWebhooks(
  db: Db,
  input: { limit: number; leaseMs: number },
): Promise<InboxDelivery[]> {
  const rows = await queryRows<InboxRow>(
    db,
    sql`UPDATE webhook_inbox SET attempts = attempts + 1,
      lease_until = now() + make_interval(secs => ${input.leaseMs / 1000})
    WHERE id IN (
      SELECT id FROM webhook_inbox
      WHERE processed_at IS NULL AND (lease_until IS NULL OR lease_until < now())
      ORDER BY id LIMIT ${input.limit} FOR UPDATE SKIP LOCKED)
    RETURNING id, tenant_id, vendor, connection_id, result, received_at, attempts`,
  );
  return rows
    .map((row) => ({
      id: String(row.id),
      tenant: row.tenant_id,
      vendor: row.vendor,
      connectionId: row.connection_id,
      result: typeof row.result === 'string' ? (JSON.parse(row.result) as WebhookResult) : row.result,
      receivedAt: new Date(row.received_at),
      attempts: row.attempts,
    }))
    .sort((a, b) => Number(a.id) - Number(b.id));
}

/** Records how a claimed delivery ended; a `failed` one becomes claimable again when its lease ends. */
export async function finishWebhook(db: Db, id: string, outcome: InboxOutcome): Promise<void> {
  const done = outcome.status !== 'failed';
  await db
    .update(webhookInbox)
    .set({
      status: outcome.status,
      error: outcome.error ?? null,
      events: outcome.events ?? null,
      ...(done ? { processedAt: new Date(), leaseUntil: null } : {}),
    })
    .where(eq(webhookInbox.id, Number(id)));
}

/** How many deliveries are not processed yet. */
export async function pendingWebhooks(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(webhookInbox)
    .where(isNull(webhookInbox.processedAt));
  return row?.n ?? 0;
}

/** How one received delivery stands: bookkeeping only, never its body or what was read from it. */
export interface InboxEntry {
  id: string;
  vendor: string;
  connectionId: string;
  receivedAt: Date;
  /** `pending`, `processed`, `rejected`, or `failed` (retried after its lease). */
  status: string;
  attempts: number;
  /** A stable error code (`vendor_not_found`, `reread_gave_up`…). */
  error?: string;
  /** The delivery's own events, all stored once it is processed (new, or already there). */
  events?: number;
  processedAt?: Date;
}

/** A tenant's received deliveries, newest first, optionally only those in `status` or with an error. */
export async function listInbox(
  db: Db,
  query: { tenant: string; status?: readonly string[]; withError?: boolean; limit: number; offset?: number },
): Promise<InboxEntry[]> {
  const offset = checkOffset(query.offset);
  const conditions = [eq(webhookInbox.tenantId, query.tenant)];
  if (query.status !== undefined) conditions.push(inArray(webhookInbox.status, [...query.status]));
  if (query.withError) conditions.push(isNotNull(webhookInbox.error));
  const rows = await db
    .select({
      id: webhookInbox.id,
      vendor: webhookInbox.vendor,
      connectionId: webhookInbox.connectionId,
      receivedAt: webhookInbox.receivedAt,
      status: webhookInbox.status,
      attempts: webhookInbox.attempts,
      error: webhookInbox.error,
      events: webhookInbox.events,
      processedAt: webhookInbox.processedAt,
    })
    .from(webhookInbox)
    .where(and(...conditions))
    .orderBy(desc(webhookInbox.id))
    .limit(checkLimit(query.limit))
    .offset(offset);
  return rows.map(({ id, error, events, processedAt, ...row }) => ({
    id: String(id),
    ...row,
    ...(error === null ? {} : { error }),
    ...(events === null ? {} : { events }),
    ...(processedAt === null ? {} : { processedAt }),
  }));
}
