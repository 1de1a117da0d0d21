export {
  ACTION_RULES,
  type ActionRule,
  PACKAGE_STATUS_HINTS,
  ruleFor,
  statusHintFor,
} from './map-signinghub-event.js';
export { normalizeSigninghub, type SigninghubNormalizeOptions } from './normalize-signinghub.js';
export {
  parseSigninghubWebhook,
  SECRET_HEADER,
  type SigninghubWebhookOptions,
} from './parse-signinghub-webhook.js';
export { createSigninghubAdapter, type SigninghubAdapter } from './signinghub-adapter.js';
export {
  DOCUMENT_STATUSES,
  type ResolvedSigninghubOptions,
  resolveSigninghubOptions,
  type SigninghubOptions,
  signinghubOptionsSchema,
} from './signinghub-options.js';
