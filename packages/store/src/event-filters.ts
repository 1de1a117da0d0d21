import { type EventType, InvalidOptionsError, normalizeTimestamp, type ProcessStatus } from '@signtrail/core';
import { eq, gte, inArray, isNull, lt, type SQL, sql } from 'drizzle-orm';
import { events, processStates } from './schema.js';

/** Filters over one tenant's events; every given filter must hold. */
export interface EventFilters {
  tenant: string;
  vendor?: string | readonly string[];
  /** Inclusive lower bound of `occurredAt` (any form `normalizeTimestamp` reads, or a Date). */
  from?: string | Date;
  /** Exclusive upper bound of `occurredAt`. */
  to?: string | Date;
  processId?: string;
  /** Signer id or e-mail (case-insensitive): the signer's events, including those naming only the id. */
  signer?: string;
  /** A user actor (sender, owner) by e-mail (case-insensitive), id or name. */
  user?: string;
  types?: readonly EventType[];
  /** Current status of the event's process. */
  status?: readonly ProcessStatus[];
  /**
   * Free text, each word a prefix: process id, signer name/e-mail/phone, actor, file name. An event matches
   * when its own text does, or when its signer's text does on another event of the process.
   */
  q?: string;
  /** Only the default timeline, each happening once: webhook events confirmed by another event left out. */
  timeline?: boolean;
}

/** The SQL conditions of `filters` on the `events` table (status included when `withStatus`). */
export function eventConditions(filters: EventFilters, withStatus = true): SQL[] {
  if (typeof filters.tenant !== 'string' || filters.tenant.length === 0) {
    throw new InvalidOptionsError('tenant', 'must be a non-empty string');
  }
  const conditions: SQL[] = [eq(events.tenantId, filters.tenant)];
  const { vendor, from, to, processId, signer, user, types, status, q } = filters;
  if (typeof vendor === 'string') conditions.push(eq(events.vendor, vendor));
  else if (vendor !== undefined) conditions.push(inArray(events.vendor, [...vendor]));
  if (from !== undefined) conditions.push(gte(events.occurredAt, instant('from', from)));
  if (to !== undefined) conditions.push(lt(events.occurredAt, instant('to', to)));
  if (processId !== undefined) conditions.push(eq(events.processId, processId));
  if (signer !== undefined) conditions.push(signerCondition(filters.tenant, signer));
  if (user !== undefined) {
    conditions.push(
      sql`(${events.actorKind} = 'user' AND (lower(${events.actorEmail}) = lower(${user}) OR ${events.actorId} = ${user} OR ${events.actorName} = ${user}))`,
    );
  }
  if (types !== undefined) conditions.push(inArray(events.type, [...types]));
  if (status !== undefined && withStatus) {
    conditions.push(
      sql`EXISTS (SELECT 1 FROM ${processStates} WHERE ${processStates.tenantId} = ${events.tenantId} AND ${processStates.vendor} = ${events.vendor} AND ${processStates.processId} = ${events.processId} AND ${inArray(processStates.status, [...status])})`,
    );
  }
  if (q !== undefined && q.trim() !== '') conditions.push(textCondition(filters.tenant, q));
  if (filters.timeline) conditions.push(isNull(events.confirmedBy));
  return conditions;
}

/** Whether `filters` say anything beyond tenant, vendor, process and status. */
export function hasEventLevelFilters(filters: EventFilters): boolean {
  const { from, to, signer, user, types, q } = filters;
  return [from, to, signer, user, types].some((value) => value !== undefined) || (q ?? '').trim() !== '';
}

/** `input` as core's fixed-width UTC form, which compares correctly as text. */
export function instant(option: string, input: string | Date): string {
  if (input instanceof Date) {
    if (Number.isNaN(input.getTime())) throw new InvalidOptionsError(option, 'is an invalid Date');
    return normalizeTimestamp(input.toISOString());
  }
  return normalizeTimestamp(input);
}

function signerCondition(tenant: string, signer: string): SQL {
  // Many events name a signer only by id: resolve the e-mail to the ids that other events pair it with.
  return sql`(${events.signerId} = ${signer} OR ${events.signerEmail} = lower(${signer}) OR ${events.signerId} IN (
    SELECT s.signer_id FROM events s
    WHERE s.tenant_id = ${tenant} AND s.signer_email = lower(${signer}) AND s.signer_id IS NOT NULL))`;
}

function textCondition(tenant: string, q: string): SQL {
  // Split with the same parser the index used, then match every lexeme as a prefix.
  const query = sql`(SELECT to_tsquery('simple', string_agg(
    '''' || replace(replace(lexeme, '\\', '\\\\'), '''', '''''') || ''':*', ' & '))
    FROM unnest(tsvector_to_array(to_tsvector('simple', ${q}))) AS lexeme)`;
  return sql`(${events.search} @@ ${query} OR (${events.vendor}, ${events.processId}, ${events.signerId}) IN (
    SELECT m.vendor, m.process_id, m.signer_id FROM events m
    WHERE m.tenant_id = ${tenant} AND m.signer_id IS NOT NULL AND m.search @@ ${query}))`;
}
