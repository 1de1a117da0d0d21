export {
  actorKindOf,
  documentStatusHint,
  mapZapsignSentence,
  SENTENCE_RULES,
  type SentenceMapping,
  type SentenceRule,
  sentenceKey,
  signerStatusOf,
  type ZapsignLanguage,
  type ZapsignSignerStatus,
} from './map-zapsign-event.js';
export { normalizeZapsign, UNKNOWN_DOCUMENT } from './normalize-zapsign.js';
export {
  createZapsignWebhookParser,
  normalizeZapsignWebhook,
  type ZapsignWebhookOptions,
} from './parse-zapsign-webhook.js';
export { createZapsignAdapter, type ZapsignAdapter } from './zapsign-adapter.js';
export type { DocumentLog, ListedDocument, SignerLogEntry, WebhookBody } from './zapsign-api.js';
export type { AuditTrailPdfOptions, SavedPdf } from './zapsign-client.js';
export {
  type ResolvedZapsignOptions,
  ZAPSIGN_BASE_URLS,
  type ZapsignOptions,
  zapsignOptionsFromSettings,
  zapsignOptionsSchema,
} from './zapsign-options.js';
