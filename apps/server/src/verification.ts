import { SignTrailError } from '@signtrail/core';

// By code, not class: an adapter built against another copy of core still throws these codes.
const REFUSALS = new Set(['webhook_verification', 'vendor_auth']);

/** Whether an adapter refused a webhook delivery (core's `WebhookVerificationError`, or a 401 `VendorAuthError`). */
export function isVerificationError(error: unknown): boolean {
  return error instanceof SignTrailError && REFUSALS.has(error.code);
}
