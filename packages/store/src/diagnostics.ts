import type { NormalizedEvent } from '@signtrail/core';
import { and, desc, eq } from 'drizzle-orm';
import type { Db } from './database.js';
import { eventAnomalies, ingestionWarnings } from './schema.js';

/** A conflicting duplicate the store refused to overwrite. */
export interface EventAnomaly {
  eventId: string;
  vendor: string;
  processId: string;
  code: string;
  /** The version that was not stored. */
  incoming: NormalizedEvent;
  detectedAt: Date;
}

/** An adapter warning recorded during ingestion (seen `occurrences` times). */
export interface StoredWarning {
  vendor: string;
  processId?: string;
  type: string;
  feature?: string;
  vendorType?: string;
  count?: number;
  message: string;
  occurrences: number;
  lastSeenAt: Date;
}

/** Conflicting duplicates recorded for a tenant, newest first. */
export async function listAnomalies(
  db: Db,
  query: { tenant: string; vendor?: string; processId?: string },
): Promise<EventAnomaly[]> {
  const { tenant, vendor, processId } = query;
  const rows = await db
    .select()
    .from(eventAnomalies)
    .where(
      and(
        eq(eventAnomalies.tenantId, tenant),
        vendor === undefined ? undefined : eq(eventAnomalies.vendor, vendor),
        processId === undefined ? undefined : eq(eventAnomalies.processId, processId),
      ),
    )
    .orderBy(desc(eventAnomalies.id));
  return rows.map((row) => ({
    eventId: row.eventId,
    vendor: row.vendor,
    processId: row.processId,
    code: row.code,
    incoming: row.incoming as NormalizedEvent,
    detectedAt: row.detectedAt,
  }));
}

/** Ingestion warnings recorded for a tenant, most recently seen first. */
export async function listWarnings(
  db: Db,
  query: { tenant: string; vendor?: string },
): Promise<StoredWarning[]> {
  const rows = await db
    .select()
    .from(ingestionWarnings)
    .where(
      and(
        eq(ingestionWarnings.tenantId, query.tenant),
        query.vendor === undefined ? undefined : eq(ingestionWarnings.vendor, query.vendor),
      ),
    )
    .orderBy(desc(ingestionWarnings.lastSeenAt), desc(ingestionWarnings.id));
  return rows.map((row) => {
    const warning: StoredWarning = {
      vendor: row.vendor,
      type: row.type,
      message: row.message,
      occurrences: row.occurrences,
      lastSeenAt: row.lastSeenAt,
    };
    if (row.processId !== null) warning.processId = row.processId;
    if (row.feature !== null) warning.feature = row.feature;
    if (row.vendorType !== null) warning.vendorType = row.vendorType;
    if (row.count !== null) warning.count = row.count;
    return warning;
  });
}
