export type { CreatedApiKey } from './api-keys.js';
export type {
  VendorConnection,
  VendorConnectionInput,
} from './connections.js';
export type { EventAnomaly, StoredWarning } from './diagnostics.js';
export { CredentialsDecryptionError, MissingSecretKeyError } from './errors.js';
export type { EventFilters } from './event-filters.js';
export type { IngestCounts, IngestInput, IngestProcessInfo, IngestWarning } from './ingest.js';
export { processInfoOf } from './ingest.js';
export type { EventJsonPage, EventPage, EventPaging, ProcessFilters, ProcessRecord } from './queries.js';
export { openStore, type Store, type StoreOptions, type WebhookConnection } from './store.js';
export { type SyncOptions, type SyncProgress, type SyncResult, type SyncTotals, sync } from './sync.js';
export type { SyncState } from './sync-state.js';
export type {
  EnqueuedDelivery,
  InboxDelivery,
  InboxEntry,
  InboxOutcome,
  NewInboxDelivery,
} from './webhook-inbox.js';
