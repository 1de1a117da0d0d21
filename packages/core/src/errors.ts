/** Base class of every error SignTrail throws on purpose; `code` is stable for programs. */
export class SignTrailError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** What a vendor error carries besides its message. Never holds a credential. */
export interface VendorErrorDetails {
  vendor: string;
  /** Request URL without query string (queries may carry search terms that are personal data). */
  url?: string;
  status?: number;
  /** The vendor's own message (`Message`, `error_description`…), untouched. */
  vendorMessage?: string;
  /** Vendor request id, from a response header, when there is one. */
  requestId?: string;
  /** Raw response body, truncated to 2 000 characters; kept for debugging, never logged by SignTrail. */
  responseBody?: string;
  isRetryable?: boolean;
  cause?: unknown;
}

/** Any failure talking to a vendor: carries vendor, url, status, vendor message, request id. */
export class VendorError extends SignTrailError {
  readonly vendor: string;
  readonly url?: string;
  readonly status?: number;
  readonly vendorMessage?: string;
  readonly requestId?: string;
  readonly responseBody?: string;
  readonly isRetryable: boolean;
  constructor(code: string, summary: string, details: VendorErrorDetails) {
    const parts = [`${details.vendor}: ${summary}`];
    if (details.status !== undefined) parts.push(`(HTTP ${details.status})`);
    if (details.vendorMessage) parts.push(`vendor said: "${details.vendorMessage}"`);
    if (details.requestId) parts.push(`request id ${details.requestId}`);
    super(code, parts.join(' '), { cause: details.cause });
    this.vendor = details.vendor;
    this.url = details.url;
    this.status = details.status;
    this.vendorMessage = details.vendorMessage;
    this.requestId = details.requestId;
    this.responseBody = details.responseBody?.slice(0, 2000);
    this.isRetryable = details.isRetryable ?? false;
  }
}

/** The vendor refused the credentials or the operation (401, 403). Check keys, tokens and account. */
export class VendorAuthError extends VendorError {
  constructor(details: VendorErrorDetails) {
    super(
      'vendor_auth',
      'authentication or authorization failed; check the credentials for this vendor',
      details,
    );
  }
}

/** The vendor does not know the process or document (404). */
export class VendorNotFoundError extends VendorError {
  constructor(details: VendorErrorDetails) {
    super('vendor_not_found', 'not found', details);
  }
}

/** The vendor rate-limited us (429) and retries ran out; `retryAfterMs` from `Retry-After`. */
export class VendorRateLimitError extends VendorError {
  readonly retryAfterMs?: number;
  constructor(details: VendorErrorDetails & { retryAfterMs?: number }) {
    super('vendor_rate_limited', 'rate limited', { ...details, isRetryable: true });
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** Any other failed vendor response or network failure (5xx, reset, timeout, unreadable body). */
export class VendorResponseError extends VendorError {
  constructor(summary: string, details: VendorErrorDetails) {
    super('vendor_response', summary, details);
  }
}

/** A vendor payload does not match the documented shape: names vendor, JSON path and what was expected. */
export class VendorSchemaError extends SignTrailError {
  readonly vendor: string;
  readonly path: string;
  readonly expected: string;
  constructor(vendor: string, path: string, expected: string, options?: { cause?: unknown }) {
    super(
      'vendor_schema',
      `${vendor}: unexpected payload at ${path || '(root)'}: expected ${expected}`,
      options,
    );
    this.vendor = vendor;
    this.path = path;
    this.expected = expected;
  }
}

/** A webhook delivery failed verification (signature, shared secret, timestamp tolerance): answer 401. */
export class WebhookVerificationError extends SignTrailError {
  readonly vendor: string;
  readonly status = 401;
  constructor(vendor: string, reason: string) {
    super('webhook_verification', `${vendor}: webhook rejected: ${reason}`);
    this.vendor = vendor;
  }
}

/** A timestamp that no vendor form matches. */
export class InvalidTimestampError extends SignTrailError {
  readonly input: string;
  constructor(input: string, reason: string) {
    super('invalid_timestamp', `invalid timestamp ${JSON.stringify(input.slice(0, 64))}: ${reason}`);
    this.input = input;
  }
}

/** Options given by the caller are wrong (checked before any request is sent). */
export class InvalidOptionsError extends SignTrailError {
  readonly option: string;
  constructor(option: string, message: string) {
    super('invalid_options', `${option}: ${message}`);
    this.option = option;
  }
}

/** An adapter speaks a contract version this core does not. */
export class UnsupportedSpecificationError extends SignTrailError {
  constructor(vendor: string, version: unknown) {
    super(
      'unsupported_specification',
      `adapter ${vendor} implements specification ${String(version)}, core supports v1`,
    );
  }
}
