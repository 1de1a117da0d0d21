import { isTimeZone } from '@signtrail/core';
import { z } from 'zod';

const instant = z.union([z.date(), z.string()]).refine((value) => !Number.isNaN(new Date(value).getTime()), {
  message: 'not a date',
});

/** Options of `createTaktikalAdapter` (strict: an unknown option is an error naming it). */
export const taktikalOptionsSchema = z.strictObject({
  /** API base URL of the environment. Default the production API. */
  baseUrl: z.url({ protocol: /^https?$/ }).default('https://core.taktikal.com/api'),
  /** Basic auth user; needed for API calls, not for `normalize`. */
  companyKey: z.string().min(1).optional(),
  /** Basic auth password; needed for API calls, not for `normalize`. */
  apiKey: z.string().min(1).optional(),
  /** `current`: `GET /signing/activity` (+ `/total`); `legacy`: per process and per user endpoints. */
  api: z.enum(['current', 'legacy']).default('current'),
  /** Per-attempt timeout. */
  timeoutMs: z.int().positive().default(30_000),
  /** Retries after the first attempt (5xx, 408, 429, network errors, timeouts, unreadable bodies). */
  retries: z.int().min(0).max(10).default(4),
  /** First retry delay, doubled per retry (with jitter). */
  backoffMs: z.int().min(0).default(250),
  /** A `Retry-After` longer than this is not waited for (`VendorRateLimitError`). */
  maxRetryAfterMs: z.int().min(0).default(60_000),
  /** `Take`: process wrappers per page (the vendor's own default and cap is 10 000). */
  pageSize: z.int().min(1).max(10_000).default(500),
  /** Walks from the first page `listActivity` makes while records keep arriving, before it ends with a warning. */
  maxPasses: z.int().min(1).default(5),
  /** `StartDate` of a single process's log read (the current API requires a window). */
  earliestActivity: instant.default('2010-01-01T00:00:00.000Z'),
  /** IANA zone for timestamps that carry none. */
  timeZone: z.string().refine(isTimeZone, 'an IANA time zone name, e.g. Europe/London').default('UTC'),
  /** Key Taktikal signs webhooks with; `parseWebhook` refuses to run without it. */
  webhookSecret: z.string().min(1).optional(),
  /** Largest distance between a webhook's `TimeStamp` and now. */
  webhookToleranceMs: z.int().min(0).default(300_000),
  /** `fetch` implementation (tests, proxies). */
  fetch: z
    .custom<typeof globalThis.fetch>((value) => typeof value === 'function', 'a fetch function')
    .optional(),
});

/** What the caller passes to `createTaktikalAdapter`. */
export type TaktikalOptions = z.input<typeof taktikalOptionsSchema>;
/** Options with defaults applied. */
export type ResolvedTaktikalOptions = z.output<typeof taktikalOptionsSchema>;
