import {
  type AdapterWarning,
  fold,
  hashCanonical,
  hasWebhookEvents,
  InvalidOptionsError,
  type NormalizedEvent,
  normalizedEventSchema,
  type ProcessInfo,
  type ProcessLog,
  type ProcessSigner,
  type ProcessState,
  type ProcessStatus,
  reconcile,
} from '@signtrail/core';
import { and, eq, getTableName, sql } from 'drizzle-orm';
import { columnList, recordset, textList } from './bulk.js';
import type { BulkLoader } from './copy-rows.js';
import { type Db, queryRows } from './database.js';
import { contentForm, eventColumns, eventWriteColumns, fromEventRow, toEventRecord } from './event-rows.js';
import { chunks, type ProcessRef, processIn, processKey } from './process-keys.js';
import {
  eventAnomalies,
  events,
  ingestionWarnings,
  processStates,
  type RosterSigner,
  tenants,
} from './schema.js';
import { storable } from './storable-text.js';

/** An adapter warning with the vendor (and process) it came from. */
export interface IngestWarning extends AdapterWarning {
  vendor: string;
  processId?: string;
}

/** What the vendor says about a process besides its log (applied again on every re-fold). */
export interface IngestProcessInfo extends ProcessInfo {
  vendor: string;
}

/** What `ingest` takes from a vendor's process log besides its events: status word, hint and roster. */
export function processInfoOf(log: ProcessLog): IngestProcessInfo {
  const info: IngestProcessInfo = { vendor: log.vendor, processId: log.processId };
  if (log.vendorStatus !== undefined) info.vendorStatus = log.vendorStatus;
  if (log.statusHint !== undefined) info.statusHint = log.statusHint;
  if (log.signers !== undefined) info.signers = log.signers;
  return info;
}

/** Input of `ingest`: normalized events of one tenant, with the warnings and process facts that came along. */
export interface IngestInput {
  tenant: string;
  events: readonly NormalizedEvent[];
  warnings?: readonly IngestWarning[];
  processes?: readonly IngestProcessInfo[];
}

/** What one `ingest` did: every event is exactly one of inserted, identical duplicate or conflict. */
export interface IngestCounts {
  inserted: number;
  duplicates: number;
  /** Same id, different content: recorded in `event_anomalies`, the stored version kept. */
  conflicts: number;
  /** Processes whose state was folded again. */
  refolded: number;
}

// Rows per INSERT statement: bounds the size of one JSON parameter.
const ROWS_PER_STATEMENT = 1000;

const placeholderColumns = [
  processStates.tenantId,
  processStates.vendor,
  processStates.processId,
  processStates.status,
  processStates.state,
  processStates.eventCount,
];
const stateColumns = [
  ...placeholderColumns,
  processStates.vendorStatus,
  processStates.statusHint,
  processStates.roster,
  processStates.lastEventAt,
];

interface StoredProcess {
  vendorStatus: string | null;
  statusHint: string | null;
  roster: RosterSigner[] | null;
  /** Event ids of the conflicting duplicates recorded for the process. */
  conflicts: string[];
}

/**
 * Ingests a batch inside the caller's transaction: idempotent multi-row inserts, conflicting duplicates
 * recorded (never overwritten), and the state of every touched process folded again from all its events.
 */
export async function ingestInTransaction(
  tx: Db,
  input: IngestInput,
  bulk?: BulkLoader,
): Promise<IngestCounts> {
  const { tenant } = input;
  if (typeof tenant !== 'string' || tenant.length === 0) {
    throw new InvalidOptionsError('tenant', 'must be a non-empty string');
  }
  const batch = parseEvents(input.events);
  await tx.insert(tenants).values({ id: tenant }).onConflictDoNothing();

  const firsts = new Map<string, NormalizedEvent>();
  const extras: NormalizedEvent[] = [];
  for (const event of batch) {
    if (firsts.has(event.id)) extras.push(event);
    else firsts.set(event.id, event);
  }
  // Rows go in id order so two transactions inserting the same ids lock them in the same order.
  const unique = [...firsts.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const inserted =
    (bulk && (await copyNewEvents(tx, bulk, tenant, unique))) ?? (await insertEvents(tx, tenant, unique));

  const repeated = unique.filter((event) => !inserted.has(event.id)).concat(extras);
  const storedForms = await storedFormsOf(tx, tenant, repeated, inserted, firsts);
  const conflicts = repeated.filter((event) => contentForm(event) !== storedForms.get(event.id));
  await recordConflicts(tx, tenant, conflicts);
  await recordWarnings(tx, tenant, input.warnings ?? []);

  const insertedEvents = unique.filter((event) => inserted.has(event.id));
  // A process the vendor says nothing about (a log skipped with only a warning) gets no state row of its own.
  const facts = (input.processes ?? []).filter(
    (info) => info.vendorStatus !== undefined || info.statusHint !== undefined || info.signers !== undefined,
  );
  const refolded = await refoldProcesses(tx, tenant, insertedEvents, conflicts, facts);
  return {
    inserted: inserted.size,
    duplicates: repeated.length - conflicts.length,
    conflicts: conflicts.length,
    refolded,
  };
}

/** The events as the schema reads them (unknown fields dropped: the form that is stored and compared). */
function parseEvents(batch: readonly NormalizedEvent[]): NormalizedEvent[] {
  if (!Array.isArray(batch)) throw new InvalidOptionsError('events', 'must be an array of normalized events');
  return batch.map((event, index) => {
    const result = normalizedEventSchema.safeParse(event);
    if (result.success) return storable(result.data);
    const issue = result.error.issues[0]!;
    const path = issue.path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('');
    throw new InvalidOptionsError(`events[${index}]${path}`, issue.message);
  });
}

async function insertEvents(tx: Db, tenant: string, batch: readonly NormalizedEvent[]): Promise<Set<string>> {
  const inserted = new Set<string>();
  for (const run of chunks(batch, ROWS_PER_STATEMENT)) {
    const records = run.map((event) => toEventRecord(tenant, event));
    const rows = await queryRows<{ id: string }>(
      tx,
      sql`INSERT INTO ${events} ${columnList(eventWriteColumns)} ${recordset(eventWriteColumns, records)}
        ON CONFLICT DO NOTHING RETURNING id`,
    );
    for (const row of rows) inserted.add(row.id);
  }
  return inserted;
}

const eventWriteColumnNames = eventWriteColumns.map((column) => column.name);

/**
 * The fast path on PostgreSQL: a batch of processes new to the store is COPYed in whole. `undefined`
 * (nothing written) when one of its processes has a state row, so may have stored events (a re-read, an
 * overlapping sync: COPY would fail, and PostgreSQL log the failure), or when COPY cannot take the batch (a
 * concurrent ingest stored one of its ids meanwhile, or a text UTF-8 cannot carry); `insertEvents` then sorts
 * the batch out row by row.
 */
async function copyNewEvents(
  tx: Db,
  bulk: BulkLoader,
  tenant: string,
  batch: readonly NormalizedEvent[],
): Promise<Set<string> | undefined> {
  if (batch.length === 0) return undefined;
  const refs = new Map(batch.map((event) => [processKey(event), event]));
  const [known] = await queryRows<{ found: boolean }>(
    tx,
    sql`SELECT EXISTS (SELECT 1 FROM ${processStates} WHERE ${processStates.tenantId} = ${tenant}
      AND ${processIn(processStates.vendor, processStates.processId, [...refs.values()])}) AS found`,
  );
  if (known?.found) return undefined;
  const rows = batch.map((event) => {
    const record = toEventRecord(tenant, event);
    return eventWriteColumnNames.map((name) => record[name]);
  });
  if (!(await bulk.copyUnlessTaken(getTableName(events), eventWriteColumnNames, rows))) return undefined;
  return new Set(batch.map((event) => event.id));
}

/** Content form of the version that is stored for every id in `repeated`. */
async function storedFormsOf(
  tx: Db,
  tenant: string,
  repeated: readonly NormalizedEvent[],
  inserted: ReadonlySet<string>,
  firsts: ReadonlyMap<string, NormalizedEvent>,
): Promise<Map<string, string>> {
  const forms = new Map<string, string>();
  const fromDatabase = new Set<string>();
  for (const event of repeated) {
    if (inserted.has(event.id)) forms.set(event.id, contentForm(firsts.get(event.id)!));
    else fromDatabase.add(event.id);
  }
  if (fromDatabase.size === 0) return forms;
  const rows = await tx
    .select(eventColumns)
    .from(events)
    .where(and(eq(events.tenantId, tenant), sql`${events.id} IN ${textList([...fromDatabase])}`));
  for (const row of rows) forms.set(row.id, contentForm(fromEventRow(row)));
  return forms;
}

async function recordConflicts(tx: Db, tenant: string, conflicts: readonly NormalizedEvent[]): Promise<void> {
  for (const run of chunks(conflicts, ROWS_PER_STATEMENT)) {
    await tx
      .insert(eventAnomalies)
      .values(
        run.map((event) => ({
          tenantId: tenant,
          eventId: event.id,
          vendor: event.vendor,
          processId: event.processId,
          code: 'duplicate_conflict',
          incoming: event,
          incomingHash: hashCanonical(event),
        })),
      )
      .onConflictDoNothing();
  }
}

async function recordWarnings(tx: Db, tenant: string, warnings: readonly IngestWarning[]): Promise<void> {
  for (const run of chunks(warnings, ROWS_PER_STATEMENT)) {
    await tx
      .insert(ingestionWarnings)
      .values(
        run.map((warning) => ({
          tenantId: tenant,
          vendor: warning.vendor,
          processId: warning.processId ?? null,
          type: warning.type,
          feature: warning.feature ?? null,
          vendorType: warning.vendorType ?? null,
          count: warning.count ?? null,
          message: warning.message,
          fingerprint: hashCanonical(warning),
        })),
      )
      .onConflictDoUpdate({
        target: [ingestionWarnings.tenantId, ingestionWarnings.fingerprint],
        set: { occurrences: sql`${ingestionWarnings.occurrences} + 1`, lastSeenAt: sql`now()` },
      });
  }
}

/**
 * Folds again every process that gained an event, a conflict or a new vendor status. Each process row is
 * created (which locks it) or locked first, so two transactions touching one process fold one after the
 * other, the second seeing the first's events.
 */
async function refoldProcesses(
  tx: Db,
  tenant: string,
  insertedEvents: readonly NormalizedEvent[],
  conflicts: readonly NormalizedEvent[],
  infos: readonly IngestProcessInfo[],
): Promise<number> {
  const candidates = new Map<string, ProcessRef>();
  for (const ref of [...insertedEvents, ...conflicts, ...infos]) {
    candidates.set(processKey(ref), { vendor: ref.vendor, processId: ref.processId });
  }
  if (candidates.size === 0) return 0;
  const sorted = [...candidates.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, ref]) => ref);

  const created = await createPlaceholders(tx, tenant, sorted);
  // Rows not created existed already (or were committed meanwhile by a concurrent ingest): lock and read them.
  const stored = await lockStoredProcesses(
    tx,
    tenant,
    sorted.filter((ref) => !created.has(processKey(ref))),
  );

  const infoByKey = new Map(infos.map((info) => [processKey(info), info]));
  // What the store keeps of each roster given, worked out once for the comparison and the fold.
  const rosters = new Map(
    infos.flatMap((info) => (info.signers ? [[processKey(info), rosterOf(info.signers)] as const] : [])),
  );
  const changed = new Set([...insertedEvents, ...conflicts].map(processKey));
  const touched = sorted.filter((ref) => {
    const key = processKey(ref);
    const info = infoByKey.get(key);
    const before = stored.get(key);
    return (
      created.has(key) ||
      changed.has(key) ||
      (info?.vendorStatus !== undefined && info.vendorStatus !== before?.vendorStatus) ||
      (info?.statusHint !== undefined && info.statusHint !== before?.statusHint) ||
      (rosters.has(key) && JSON.stringify(rosters.get(key)) !== JSON.stringify(before?.roster))
    );
  });
  if (touched.length === 0) return 0;

  const eventsByKey = new Map<string, NormalizedEvent[]>();
  for (const { confirmedBy: _notStored, ...event } of insertedEvents)
    pushTo(eventsByKey, processKey(event), event);
  // A process without a state row had no stored events (every insert folds its process in the same transaction).
  await loadEvents(
    tx,
    tenant,
    touched.filter((ref) => stored.has(processKey(ref))),
    eventsByKey,
  );
  const conflictIds = new Map<string, Set<string>>();
  for (const [key, row] of stored) conflictIds.set(key, new Set(row.conflicts));
  for (const event of conflicts) {
    const key = processKey(event);
    conflictIds.set(key, (conflictIds.get(key) ?? new Set()).add(event.id));
  }

  const states = touched.map((ref) => {
    const key = processKey(ref);
    const info = infoByKey.get(key);
    const before = stored.get(key);
    const vendorStatus = info?.vendorStatus ?? before?.vendorStatus ?? undefined;
    const statusHint = (info?.statusHint ?? before?.statusHint ?? undefined) as ProcessStatus | undefined;
    const roster = rosters.get(key) ?? before?.roster ?? undefined;
    const state = fold(eventsByKey.get(key) ?? [], { ...ref, vendorStatus, statusHint, signers: roster });
    addConflictAnomalies(state, conflictIds.get(key) ?? new Set());
    return {
      tenant_id: tenant,
      vendor: ref.vendor,
      process_id: ref.processId,
      status: state.status,
      vendor_status: vendorStatus,
      status_hint: statusHint,
      roster,
      state,
      event_count: state.counts.events,
      last_event_at: state.lastEventAt,
    };
  });
  await relink(
    tx,
    tenant,
    touched.map((ref) => eventsByKey.get(processKey(ref)) ?? []),
  );
  await tx.execute(
    sql`INSERT INTO ${processStates} ${columnList(stateColumns)} ${recordset(stateColumns, states)}
      ON CONFLICT (tenant_id, vendor, process_id) DO UPDATE SET
        status = excluded.status, vendor_status = excluded.vendor_status, status_hint = excluded.status_hint, roster = excluded.roster,
        state = excluded.state, event_count = excluded.event_count, last_event_at = excluded.last_event_at,
        updated_at = now()`,
  );
  return touched.length;
}

/**
 * Stores the `confirmedBy` links core `reconcile` derives for processes with webhook events: a webhook
 * event is linked to the log event of the same happening once that arrives (and repeats to the first).
 */
async function relink(tx: Db, tenant: string, processes: readonly NormalizedEvent[][]): Promise<void> {
  const changes: Record<string, unknown>[] = [];
  for (const stored of processes) {
    if (!hasWebhookEvents(stored)) continue;
    const before = new Map(stored.map((event) => [event.id, event.confirmedBy]));
    for (const event of reconcile(stored)) {
      if (event.confirmedBy !== before.get(event.id)) {
        changes.push({ id: event.id, confirmed_by: event.confirmedBy ?? null });
      }
    }
  }
  if (changes.length === 0) return;
  const columns = [events.id, events.confirmedBy];
  await tx.execute(
    sql`UPDATE ${events} SET confirmed_by = x.confirmed_by FROM (${recordset(columns, changes)}) AS x
      WHERE ${events.tenantId} = ${tenant} AND ${events.id} = x.id`,
  );
}

/** Locks the state rows that exist among `refs` (in key order) and returns what a re-fold keeps of them. */
async function lockStoredProcesses(
  tx: Db,
  tenant: string,
  refs: readonly ProcessRef[],
): Promise<Map<string, StoredProcess>> {
  const stored = new Map<string, StoredProcess>();
  if (refs.length === 0) return stored;
  const rows = await tx
    .select({
      vendor: processStates.vendor,
      processId: processStates.processId,
      vendorStatus: processStates.vendorStatus,
      statusHint: processStates.statusHint,
      roster: processStates.roster,
      anomalies: sql<ProcessState['anomalies'] | null>`${processStates.state}->'anomalies'`,
    })
    .from(processStates)
    .where(
      and(eq(processStates.tenantId, tenant), processIn(processStates.vendor, processStates.processId, refs)),
    )
    .orderBy(processStates.vendor, processStates.processId)
    .for('update');
  for (const row of rows) {
    // The store keeps one version per id, so a fold cannot see a conflict: the state carries them forward.
    const conflicts = (row.anomalies ?? [])
      .filter((anomaly) => anomaly.code === 'duplicate_conflict')
      .map((anomaly) => anomaly.eventId);
    stored.set(processKey(row), {
      vendorStatus: row.vendorStatus,
      statusHint: row.statusHint,
      roster: row.roster,
      conflicts,
    });
  }
  return stored;
}

/** Inserts empty state rows for `refs` (locking them); returns the keys it created. */
async function createPlaceholders(tx: Db, tenant: string, refs: readonly ProcessRef[]): Promise<Set<string>> {
  if (refs.length === 0) return new Set();
  const placeholders = refs.map((ref) => ({
    tenant_id: tenant,
    vendor: ref.vendor,
    process_id: ref.processId,
    status: 'unknown',
    state: {},
    event_count: 0,
  }));
  const rows = await queryRows<{ vendor: string; process_id: string }>(
    tx,
    sql`INSERT INTO ${processStates} ${columnList(placeholderColumns)} ${recordset(placeholderColumns, placeholders)}
      ON CONFLICT DO NOTHING RETURNING vendor, process_id`,
  );
  return new Set(rows.map((row) => processKey({ vendor: row.vendor, processId: row.process_id })));
}

async function loadEvents(
  tx: Db,
  tenant: string,
  refs: readonly ProcessRef[],
  into: Map<string, NormalizedEvent[]>,
): Promise<void> {
  // Inserted events of these processes are read back with the rest; start their lists afresh.
  for (const ref of refs) into.delete(processKey(ref));
  if (refs.length === 0) return;
  const rows = await tx
    // fold never reads `raw`: leave the largest column on disk.
    .select({ ...eventColumns, raw: sql<Record<string, unknown>>`'{}'::jsonb` })
    .from(events)
    .where(and(eq(events.tenantId, tenant), processIn(events.vendor, events.processId, refs)));
  for (const row of rows) pushTo(into, processKey(row), fromEventRow(row));
}

function addConflictAnomalies(state: ProcessState, eventIds: ReadonlySet<string>): void {
  for (const eventId of [...eventIds].sort()) {
    state.anomalies.push({
      code: 'duplicate_conflict',
      eventId,
      message: 'another record with this event id but different content arrived; the first stored is kept',
    });
  }
}

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** What the store keeps of a vendor roster: id, name and e-mail, never phone or SSN. */
function rosterOf(signers: readonly ProcessSigner[]): RosterSigner[] {
  return signers.map(({ signerId, name, email }) => {
    const kept: RosterSigner = { signerId };
    if (name !== undefined) kept.name = name;
    if (email !== undefined) kept.email = email;
    return kept;
  });
}
