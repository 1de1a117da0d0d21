import { isTimeZone } from '@signtrail/core';
import { z } from 'zod';

/** Package listing filters of SigningHub v3 (`GET /v3/packages/{document_status}/…`). */
export const DOCUMENT_STATUSES = [
  'ALL',
  'DRAFT',
  'PENDING',
  'SIGNED',
  'DECLINED',
  'INPROGRESS',
  'EDITED',
  'REVIEWED',
  'COMPLETED',
] as const;

/** Options of `createSigninghubAdapter`; unknown options are rejected. */
export const signinghubOptionsSchema = z
  .strictObject({
    /** API root; `/authenticate` and `/v3/…` live under it. */
    baseUrl: z.url({ protocol: /^https?$/ }).default('https://api.signinghub.com'),
    /** OAuth client of the integration (SigningHub "application"). */
    clientId: z.string().min(1).optional(),
    clientSecret: z.string().min(1).optional(),
    /** With `password`: the password grant; without both: the client-credentials grant. */
    username: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    /** E-mail of the user an enterprise admin acts for (sent as `scope`). */
    scope: z.string().min(1).optional(),
    /** Zone SigningHub's zone-less `date_time` values are read in (the account's zone). */
    timeZone: z.string().refine(isTimeZone, 'an IANA time zone name, e.g. Europe/London').default('UTC'),
    /** Per-attempt timeout. */
    timeoutMs: z.int().positive().default(30_000),
    /** Retries after the first attempt (5xx, 408, 429, network errors, timeouts, unreadable bodies). */
    retries: z.int().min(0).max(10).default(4),
    /** First retry delay, doubled per retry (with jitter). */
    backoffMs: z.int().min(0).default(250),
    /** A `Retry-After` longer than this is not waited for (`VendorRateLimitError`). */
    maxRetryAfterMs: z.int().min(0).default(60_000),
    /** Package logs (and log details) fetched at once. */
    concurrency: z.int().min(1).max(32).default(4),
    /** Packages per listing page (`records`). */
    pageSize: z.int().min(1).max(500).default(50),
    /** Listing filter (`document_status`) used by `listActivity`. */
    documentStatus: z.enum(DOCUMENT_STATUSES).default('ALL'),
    /** Fetch `…/log/{log_id}/details` per action to add `ip` and document names (one request per action). */
    enrichDetails: z.boolean().default(false),
    /** Per-connection secret SigningHub callbacks must carry (header `x-signtrail-secret` or `?secret=`). */
    webhookSecret: z.string().min(16).optional(),
    /** `fetch` implementation (tests, proxies). */
    fetch: z
      .custom<typeof globalThis.fetch>((value) => typeof value === 'function', 'a fetch function')
      .optional(),
  })
  .superRefine((options, context) => {
    if ((options.username === undefined) === (options.password === undefined)) return;
    context.addIssue({
      code: 'custom',
      path: [options.username === undefined ? 'username' : 'password'],
      message: 'username and password go together (password grant)',
    });
  });

/** Options as the caller writes them. */
export type SigninghubOptions = z.input<typeof signinghubOptionsSchema>;
/** Options with defaults applied. */
export type ResolvedSigninghubOptions = z.output<typeof signinghubOptionsSchema>;
