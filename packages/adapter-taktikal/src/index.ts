export {
  channelFromDescription,
  mapTaktikalProcessStatus,
  mapTaktikalStatus,
  mapTaktikalWebhookEvent,
  type TaktikalEventRule,
  type TaktikalWebhookEventRule,
} from './map-taktikal-event.js';
export { type NormalizeTaktikalOptions, normalizeTaktikal } from './normalize-taktikal.js';
export { createTaktikalWebhookParser, type TaktikalWebhookOptions } from './parse-taktikal-webhook.js';
export { createTaktikalAdapter, type TaktikalAdapter } from './taktikal-adapter.js';
export {
  activityEntrySchema,
  activityResponseSchema,
  activityTotalSchema,
  processSchema,
  signeeSchema,
  type TaktikalActivityEntry,
  type TaktikalProcess,
  type TaktikalSignee,
} from './taktikal-api.js';
export { FLOW_TYPES, STATUS_FILTERS, type TaktikalClient } from './taktikal-client.js';
export {
  type ResolvedTaktikalOptions,
  type TaktikalOptions,
  taktikalOptionsSchema,
} from './taktikal-options.js';
