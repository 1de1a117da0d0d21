export {
  ACTION_RULES,
  type ActionRule,
  PACKAGE_STATUS_HINTS,
  ruleFor,
  statusHintFor,
} from './map-signinghub-event.js';
export { type NormalizeSigninghubOptions, normalizeSigninghub } from './normalize-signinghub.js';
export {
  createSigninghubWebhookParser,
  SECRET_HEADER,
  type SigninghubWebhookOptions,
} from './parse-signinghub-webhook.js';
export { createSigninghubAdapter, type SigninghubAdapter } from './signinghub-adapter.js';
export {
  DOCUMENT_STATUSES,
  type ResolvedSigninghubOptions,
  type SigninghubOptions,
  signinghubOptionsSchema,
} from './signinghub-options.js';
