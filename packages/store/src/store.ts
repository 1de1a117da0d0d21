import { resolve } from 'node:path';
import type { NormalizedEvent } from '@signtrail/core';
import { InvalidOptionsError } from '@signtrail/core';
import { type CreatedApiKey, createApiKey, resolveApiKey, revokeApiKey } from './api-keys.js';
import {
  connectedTenants,
  deleteConnection,
  getConnection,
  listConnections,
  saveConnection,
  saveTenant,
  type VendorConnection,
  type VendorConnectionInput,
} from './connections.js';
import { type Database, openPglite, openPostgres } from './database.js';
import { type EventAnomaly, listAnomalies, listWarnings, type StoredWarning } from './diagnostics.js';
import type { EventFilters } from './event-filters.js';
import { type IngestCounts, type IngestInput, ingestInTransaction } from './ingest.js';
import {
  countEvents,
  type EventJsonPage,
  type EventPage,
  type EventPaging,
  getProcess,
  listProcesses,
  type ProcessFilters,
  type ProcessRecord,
  queryEvents,
  queryEventsJson,
} from './queries.js';
import { parseSecretKey } from './secret-box.js';
import { getSyncState, type SyncState } from './sync-state.js';
import {
  claimWebhooks,
  connectionId,
  type EnqueuedDelivery,
  endpointOf,
  enqueueWebhook,
  finishWebhook,
  type InboxDelivery,
  type InboxEntry,
  type InboxOutcome,
  listInbox,
  type NewInboxDelivery,
  pendingWebhooks,
} from './webhook-inbox.js';

/** A vendor connection found by its webhook id, credentials decrypted. */
export type WebhookConnection = VendorConnection & { id: string };

/** Options of `openStore`. */
export interface StoreOptions {
  /** PostgreSQL connection string. Default: `DATABASE_URL`, unless `dataDir` is given. */
  databaseUrl?: string;
  /** Embedded PGlite data directory (`memory://` for a throw-away store). Default `./.signtrail/data`. */
  dataDir?: string;
  /** Key sealing vendor credentials: 32 bytes as hex or base64. Default: `SIGNTRAIL_SECRET_KEY`. */
  secretKey?: string;
  /** Connections in the PostgreSQL pool. Default 10. */
  poolSize?: number;
}

/** SignTrail's persistence: events, process states, sync cursors, connections, anomalies and warnings. */
export interface Store {
  readonly driver: 'pglite' | 'postgres';
  /** Stores a batch in one transaction: idempotent on event id, touched processes folded again. */
  ingest(input: IngestInput): Promise<IngestCounts>;
  /** One page of events matching filters: offset or keyset (cursor) paging, the total on request. */
  queryEvents(query: EventFilters & EventPaging): Promise<EventPage>;
  /** `queryEvents` with each event as JSON text serialized by the database (for APIs). */
  queryEventsJson(query: EventFilters & EventPaging): Promise<EventJsonPage>;
  /** How many events match. */
  countEvents(filters: EventFilters): Promise<number>;
  /** Processes matching filters, most recent activity first, with the total. */
  listProcesses(
    query: ProcessFilters & { limit: number; offset?: number },
  ): Promise<{ processes: ProcessRecord[]; total: number }>;
  /** One process's state and timeline. */
  getProcess(
    tenant: string,
    vendor: string,
    processId: string,
  ): Promise<{ process: ProcessRecord; events: NormalizedEvent[] } | undefined>;
  saveConnection(input: VendorConnectionInput): Promise<void>;
  getConnection(tenant: string, vendor: string): Promise<VendorConnection | undefined>;
  listConnections(tenant: string): Promise<VendorConnection[]>;
  deleteConnection(tenant: string, vendor: string): Promise<boolean>;
  getSyncState(tenant: string, vendor: string): Promise<SyncState | undefined>;
  /** Conflicting duplicates recorded for a tenant (newest first). */
  listAnomalies(query: { tenant: string; vendor?: string; processId?: string }): Promise<EventAnomaly[]>;
  /** Ingestion warnings recorded for a tenant (most recently seen first). */
  listWarnings(query: { tenant: string; vendor?: string }): Promise<StoredWarning[]>;
  /** Creates a tenant, or renames it when `name` is given. */
  saveTenant(tenant: { id: string; name?: string }): Promise<void>;
  /** Creates an API key bound to `tenant` (created if new); the key is returned once, only its hash is kept. */
  createApiKey(input: { tenant: string; name?: string }): Promise<CreatedApiKey>;
  /** The tenant a presented key is bound to, or `undefined` (unknown or revoked). */
  resolveApiKey(key: string): Promise<{ id: string; tenant: string } | undefined>;
  /** Revokes a key by id; true when it was active. */
  revokeApiKey(id: string): Promise<boolean>;
  /** The random id naming a tenant's vendor connection in webhook URLs (created on first ask). */
  connectionId(tenant: string, vendor: string): Promise<string | undefined>;
  /** The connection a webhook URL names, credentials decrypted. */
  webhookConnection(vendor: string, connectionId: string): Promise<WebhookConnection | undefined>;
  /** Commits a verified webhook delivery to the inbox once per `deliveryKey`; resolves once it is durable. */
  enqueueWebhook(input: NewInboxDelivery): Promise<EnqueuedDelivery>;
  /** Leases up to `limit` unprocessed deliveries, oldest first; other instances skip leased ones. */
  claimWebhooks(input: { limit: number; leaseMs: number }): Promise<InboxDelivery[]>;
  /** Records how a claimed delivery ended; `failed` ones are retried after their lease. */
  finishWebhook(id: string, outcome: InboxOutcome): Promise<void>;
  /** Deliveries not processed yet. */
  pendingWebhooks(): Promise<number>;
  /** A tenant's received webhook deliveries, newest first (bookkeeping only: no bodies). */
  listInbox(query: {
    tenant: string;
    status?: readonly string[];
    withError?: boolean;
    limit: number;
    offset?: number;
  }): Promise<InboxEntry[]>;
  /** Tenants with at least one vendor connection (for scheduled sync). */
  connectedTenants(): Promise<string[]>;
  close(): Promise<void>;
}

interface StoreInternals {
  database: Database;
  /** (tenant, vendor) sync lock keys held by runs of this store in this process. */
  runningSyncs: Set<string>;
}

const internals = new WeakMap<Store, StoreInternals>();

/** The database behind a store returned by `openStore` (for `sync`). */
export function storeInternals(store: Store): StoreInternals {
  const found = internals.get(store);
  if (!found) throw new InvalidOptionsError('store', 'must be a store returned by openStore');
  return found;
}

/**
 * Opens the store and applies pending migrations: PostgreSQL when `databaseUrl` (or, without `dataDir`,
 * `DATABASE_URL`) is given, else embedded PGlite in `dataDir` (one process at a time per directory).
 */
export async function openStore(options: StoreOptions = {}): Promise<Store> {
  // An explicit option wins over the environment: a given dataDir means PGlite even when DATABASE_URL is set.
  const databaseUrl =
    options.databaseUrl ?? (options.dataDir === undefined ? nonEmpty(process.env.DATABASE_URL) : undefined);
  const secret = options.secretKey ?? nonEmpty(process.env.SIGNTRAIL_SECRET_KEY);
  const key = secret === undefined ? undefined : parseSecretKey(secret);
  const poolSize = options.poolSize ?? 10;
  if (!Number.isInteger(poolSize) || poolSize < 2) {
    throw new InvalidOptionsError('poolSize', 'must be an integer of at least 2');
  }
  const database =
    databaseUrl !== undefined
      ? await openPostgres(databaseUrl, poolSize)
      : await openPglite(dataDirOf(options.dataDir));
  const { db } = database;

  const store: Store = {
    driver: database.driver,
    ingest: (input) =>
      database.withSession((session, bulk) =>
        session.transaction((tx) => ingestInTransaction(tx, input, bulk)),
      ),
    queryEvents: (query) => queryEvents(db, query),
    queryEventsJson: (query) => queryEventsJson(database, query),
    countEvents: (filters) => countEvents(db, filters),
    listProcesses: (query) => listProcesses(db, query),
    getProcess: (tenant, vendor, processId) => getProcess(db, tenant, vendor, processId),
    saveConnection: (input) => saveConnection(db, key, input),
    getConnection: (tenant, vendor) => getConnection(db, key, tenant, vendor),
    listConnections: (tenant) => listConnections(db, tenant),
    deleteConnection: (tenant, vendor) => deleteConnection(db, tenant, vendor),
    getSyncState: (tenant, vendor) => getSyncState(db, tenant, vendor),
    listAnomalies: (query) => listAnomalies(db, query),
    listWarnings: (query) => listWarnings(db, query),
    saveTenant: (tenant) => saveTenant(db, tenant),
    createApiKey: (input) => createApiKey(db, input),
    resolveApiKey: (key) => resolveApiKey(db, key),
    revokeApiKey: (id) => revokeApiKey(db, id),
    connectionId: (tenant, vendor) => connectionId(db, tenant, vendor),
    async webhookConnection(vendor, id) {
      const endpoint = await endpointOf(db, vendor, id);
      const connection = endpoint && (await getConnection(db, key, endpoint.tenant, vendor));
      return connection ? { ...connection, id } : undefined;
    },
    enqueueWebhook: (input) => enqueueWebhook(db, input),
    claimWebhooks: (input) => claimWebhooks(db, input),
    finishWebhook: (id, outcome) => finishWebhook(db, id, outcome),
    pendingWebhooks: () => pendingWebhooks(db),
    listInbox: (query) => listInbox(db, query),
    connectedTenants: () => connectedTenants(db),
    close: () => database.close(),
  };
  internals.set(store, { database, runningSyncs: new Set() });
  return store;
}

function dataDirOf(dataDir: string | undefined): string {
  const dir = dataDir ?? './.signtrail/data';
  return dir.startsWith('memory://') ? dir : resolve(dir);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
