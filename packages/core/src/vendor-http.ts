import ky, { TimeoutError } from 'ky';
import type { z } from 'zod';
import {
  VendorAuthError,
  type VendorError,
  type VendorErrorDetails,
  VendorNotFoundError,
  VendorRateLimitError,
  VendorResponseError,
  VendorSchemaError,
} from './errors.js';
import { maskPii } from './pii.js';
import { parseVendorPayload } from './schema-error.js';

/** Options of `createVendorHttp`: transport, auth hooks and retry policy of one vendor client. */
export interface VendorHttpOptions {
  vendor: string;
  baseUrl: string;
  /** Per-attempt timeout. Default 30 s. */
  timeoutMs?: number;
  /** Retries after the first attempt, for 5xx, 408, 429, network errors, timeouts and unreadable bodies. Default 4. */
  retries?: number;
  /** First backoff delay, doubled per retry (with jitter), capped at 10 s. Default 250 ms. */
  backoffMs?: number;
  /** A `Retry-After` longer than this is not waited for: the `VendorRateLimitError` is thrown. Default 60 s. */
  maxRetryAfterMs?: number;
  /** Minimum gap between two requests, to stay under a vendor's published rate limit. Default 0. */
  minIntervalMs?: number;
  /** Value of the `Authorization` header, computed per request (tokens may be refreshed). */
  authorize?: () => string | Promise<string>;
  /**
   * Called once per request on a 401 with the `Authorization` value that was refused (so a token renewed
   * meanwhile by another request is not renewed again); return true to retry with fresh credentials.
   */
  onUnauthorized?: (refused: string | undefined) => boolean | Promise<boolean>;
  /** Extracts the vendor's message from a parsed error body. */
  vendorMessage?: (body: unknown) => string | undefined;
  fetch?: typeof globalThis.fetch;
}

/** One request to a vendor. */
export interface VendorRequest {
  path: string;
  method?: 'GET' | 'POST';
  searchParams?: Record<string, string | number | boolean | undefined>;
  /** Form-encoded body (OAuth token endpoints). */
  form?: Record<string, string>;
  json?: unknown;
  accept?: string;
  /** Extra request headers (vendor filters carried in headers). */
  headers?: Record<string, string>;
  /** Send the `Authorization` header. Default true. */
  authorize?: boolean;
  signal?: AbortSignal;
}

/** A validated JSON response. */
export interface VendorJson<T> {
  data: T;
  /** The parsed body before validation (kept as `raw`). */
  body: unknown;
  status: number;
  headers: Headers;
}

/** The HTTP client every adapter uses: typed errors, retries, rate cap, schema validation. */
export interface VendorHttp {
  json<S extends z.ZodType>(request: VendorRequest & { schema: S }): Promise<VendorJson<z.infer<S>>>;
  /** The response once its status is OK (for bodies that are not JSON, e.g. PDFs). */
  response(request: VendorRequest): Promise<Response>;
  /** Number of HTTP requests sent so far (retries included). */
  readonly requestCount: number;
}

const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);
const REQUEST_ID_HEADERS = ['x-request-id', 'request-id', 'x-correlation-id', 'x-amzn-requestid'];

class RetryableBodyError extends Error {}

/** Creates the HTTP client of one vendor. */
export function createVendorHttp(options: VendorHttpOptions): VendorHttp {
  const vendor = options.vendor;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const retries = options.retries ?? 4;
  const backoffMs = options.backoffMs ?? 250;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
  const base = options.baseUrl.replace(/\/+$/, '');
  let requestCount = 0;
  let nextSlot = 0;

  const client = ky.create({ retry: 0, throwHttpErrors: false, timeout: timeoutMs, fetch: options.fetch });

  async function gate(): Promise<void> {
    if (!options.minIntervalMs) return;
    const now = Date.now();
    const slot = Math.max(now, nextSlot);
    nextSlot = slot + options.minIntervalMs;
    if (slot > now) await sleep(slot - now);
  }

  async function authorization(request: VendorRequest): Promise<string | undefined> {
    return request.authorize !== false && options.authorize ? options.authorize() : undefined;
  }

  async function send(request: VendorRequest, auth: string | undefined): Promise<Response> {
    await gate();
    requestCount += 1;
    const headers: Record<string, string> = {
      ...request.headers,
      accept: request.accept ?? 'application/json',
    };
    if (auth !== undefined) headers.authorization = auth;
    const searchParams: Record<string, string> = {};
    for (const [key, value] of Object.entries(request.searchParams ?? {})) {
      if (value !== undefined) searchParams[key] = String(value);
    }
    return client(urlOf(request.path), {
      method: request.method ?? 'GET',
      headers,
      searchParams,
      body: request.form ? new URLSearchParams(request.form) : undefined,
      json: request.json,
      signal: request.signal,
    });
  }

  function urlOf(path: string): string {
    return `${base}/${path.replace(/^\/+/, '')}`;
  }

  /** The URL errors carry: no query string, and personal data in path segments (a user's e-mail) masked. */
  function errorUrlOf(path: string): string {
    return urlOf(path.split('/').map(maskedSegment).join('/'));
  }

  async function failure(response: Response, url: string): Promise<VendorError> {
    const text = await response.text().catch(() => '');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const contentType = response.headers.get('content-type') ?? 'no content type';
    const details: VendorErrorDetails = {
      vendor,
      url,
      status: response.status,
      vendorMessage:
        body === undefined ? `non-JSON error body (${contentType.split(';')[0]})` : messageOf(body, options),
      requestId: REQUEST_ID_HEADERS.map((h) => response.headers.get(h)).find((v) => v) ?? undefined,
      responseBody: text,
      isRetryable: RETRYABLE_STATUS.has(response.status),
    };
    if (response.status === 401 || response.status === 403) return new VendorAuthError(details);
    if (response.status === 404) return new VendorNotFoundError(details);
    if (response.status === 429) {
      return new VendorRateLimitError({
        ...details,
        retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
      });
    }
    return new VendorResponseError('request failed', details);
  }

  /** Runs one request with retries; `read` turns an OK response into the result (may throw RetryableBodyError). */
  async function run<T>(request: VendorRequest, read: (response: Response) => Promise<T>): Promise<T> {
    // Built only for an error: masking the path is no work for the requests that succeed.
    const url = () => errorUrlOf(request.path);
    let renewed = false;
    let lastError: unknown;
    for (let attempt = 0; attempt <= retries; attempt += 1) {
      if (attempt > 0) await sleep(delayFor(attempt, lastError));
      // Outside the try: a failure to obtain credentials (token endpoint refusal) is typed, not a network error.
      const auth = await authorization(request);
      let response: Response;
      try {
        response = await send(request, auth);
      } catch (error) {
        if (request.signal?.aborted) throw error;
        const timedOut = error instanceof TimeoutError;
        lastError = new VendorResponseError(timedOut ? `timed out after ${timeoutMs} ms` : 'network error', {
          vendor,
          url: url(),
          isRetryable: true,
          cause: transportCause(error),
        });
        continue;
      }
      if (response.status === 401 && options.onUnauthorized && !renewed) {
        renewed = true;
        if (await options.onUnauthorized(auth)) {
          // The refused body is discarded; a connection cut while discarding it changes nothing.
          await response.body?.cancel().catch(() => undefined);
          attempt -= 1; // renewing credentials is not a retry
          continue;
        }
      }
      if (!response.ok) {
        lastError = await failure(response, url());
        if (!(lastError as VendorError).isRetryable) throw lastError;
        const wait = (lastError as VendorRateLimitError).retryAfterMs;
        if (wait !== undefined && wait > maxRetryAfterMs) throw lastError;
        continue;
      }
      try {
        return await read(response);
      } catch (error) {
        if (!(error instanceof RetryableBodyError || error instanceof VendorSchemaError)) throw error;
        lastError =
          error instanceof VendorSchemaError
            ? error
            : new VendorResponseError(error.message, {
                vendor,
                url: url(),
                status: response.status,
                isRetryable: true,
              });
      }
    }
    throw lastError;
  }

  function delayFor(attempt: number, lastError: unknown): number {
    const retryAfter = lastError instanceof VendorRateLimitError ? lastError.retryAfterMs : undefined;
    if (retryAfter !== undefined) return retryAfter;
    const exponential = Math.min(backoffMs * 2 ** (attempt - 1), 10_000);
    return exponential / 2 + Math.random() * (exponential / 2);
  }

  return {
    get requestCount() {
      return requestCount;
    },
    json(request) {
      return run(request, async (response) => {
        let text: string;
        try {
          text = await response.text();
        } catch {
          throw new RetryableBodyError('connection lost while reading the response body');
        }
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          throw new RetryableBodyError(`response body is not valid JSON (${text.length} bytes; truncated?)`);
        }
        return {
          data: parseVendorPayload(vendor, request.schema, body),
          body,
          status: response.status,
          headers: response.headers,
        };
      });
    },
    response(request) {
      return run(request, async (response) => response);
    },
  };
}

function messageOf(body: unknown, options: VendorHttpOptions): string | undefined {
  const custom = options.vendorMessage?.(body);
  if (custom) return custom;
  if (body && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    for (const key of ['Message', 'message', 'error_description', 'detail', 'error', 'title']) {
      if (typeof record[key] === 'string') return record[key] as string;
    }
  }
  return undefined;
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date. */
export function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function maskedSegment(segment: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    return segment;
  }
  const masked = maskPii(decoded);
  return masked === decoded ? segment : masked;
}

/**
 * A transport failure as an error's `cause`, without what it may carry of the request: ky's timeout message
 * holds the whole URL, query string (search terms, user e-mails) included. Name, message without URLs, and
 * the system error code (`ECONNREFUSED`…) are kept.
 */
function transportCause(error: unknown): Error {
  const original = error instanceof Error ? error : new Error(String(error));
  const cause = Object.assign(new Error(maskPii(original.message.replace(/\b\w+:\/\/\S*/g, '<url>'))), {
    name: original.name,
  });
  const code =
    (original as { code?: unknown }).code ?? (original.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? Object.assign(cause, { code }) : cause;
}
