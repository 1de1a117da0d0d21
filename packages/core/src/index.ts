export { type ActivityWindow, activityWindow } from './activity-window.js';
export {
  type ActivityQuery,
  type AdapterWarning,
  type AuditSource,
  type Capabilities,
  foldLog,
  foldNormalized,
  type NormalizeResult,
  type ProcessInfo,
  type ProcessLog,
  type ProcessSigner,
  registerSource,
  SPECIFICATION_VERSION,
  unmappedWarnings,
  type WebhookRequest,
  type WebhookResult,
} from './contract.js';
export {
  InvalidOptionsError,
  InvalidTimestampError,
  SignTrailError,
  UnsupportedSpecificationError,
  VendorAuthError,
  VendorError,
  type VendorErrorDetails,
  VendorNotFoundError,
  VendorRateLimitError,
  VendorResponseError,
  VendorSchemaError,
  WebhookVerificationError,
} from './errors.js';
export {
  type Actor,
  actorSchema,
  EVENT_SCHEMA_VERSION,
  type EventData,
  eventDataSchema,
  eventJsonSchema,
  type NormalizedEvent,
  normalizedEventSchema,
  occurredAtSchema,
  type VendorEvent,
  vendorEventSchema,
} from './event.js';
export { type FoldOptions, fold, foldByProcess, processStatusRank, signerStatusRank } from './fold.js';
export { canonicalJson, eventId, eventIdFor, hashCanonical } from './id.js';
export { isTimeZone, parseOptions } from './options.js';
export { compareEvents, orderEvents } from './order.js';
export { maskEmail, maskPhone, maskPii, maskSsn } from './pii.js';
export { storyProjection } from './projection.js';
export { hasWebhookEvents, type ReconcileOptions, reconcile, timeline } from './reconcile.js';
export { jsonPath, parseVendorPayload } from './schema-error.js';
export {
  ANOMALY_CODES,
  type Anomaly,
  type AnomalyCode,
  anomalySchema,
  PROCESS_STATUSES,
  type ProcessState,
  type ProcessStatus,
  processStateSchema,
  SIGNER_STATUSES,
  type SignerState,
  type SignerStatus,
  signerStateSchema,
} from './state.js';
export { type EventType, isEventType, TAXONOMY } from './taxonomy.js';
export { isTimestamp, normalizeTimestamp, startsWithDateAndClock, type TimestampOptions } from './time.js';
export {
  createVendorHttp,
  retryAfterMs,
  type VendorHttp,
  type VendorHttpOptions,
  type VendorJson,
  type VendorRequest,
} from './vendor-http.js';
