import { z } from 'zod';

/** ZapSign's API hosts per environment. */
export const ZAPSIGN_BASE_URLS = {
  production: 'https://api.zapsign.com.br',
  sandbox: 'https://sandbox.api.zapsign.com.br',
} as const;

/** ZapSign publishes 500 requests per minute per token: one request every 120 ms stays under it. */
const PUBLISHED_MIN_INTERVAL_MS = 120;

const jwtCredentialsSchema = z.strictObject({
  /** Settings > Integrations > API Token > Organization ID. */
  organizationId: z.string().min(1),
  username: z.string().min(1),
  password: z.string().min(1),
});

/** Options of `createZapsignAdapter` (strict: an unknown option is an error naming it). */
export const zapsignOptionsSchema = z
  .strictObject({
    /** Static API token (Settings > Integrations > API Token), sent as `Authorization: Bearer <token>`. */
    apiToken: z.string().min(1).optional(),
    /** JWT flow: an access token (1 h) from the organization's token endpoint, refreshed with the refresh token. */
    jwt: jwtCredentialsSchema.optional(),
    environment: z.enum(['production', 'sandbox']).default('production'),
    /** Overrides the environment's host (proxies, the simulator). */
    baseUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** Per-attempt timeout. */
    timeoutMs: z.int().positive().default(30_000),
    /** Retries after the first attempt (5xx, 408, 429, network errors, timeouts, unreadable bodies). */
    retries: z.int().min(0).max(10).default(4),
    /** First retry delay, doubled per retry (with jitter). */
    backoffMs: z.int().min(0).default(250),
    /** A `Retry-After` longer than this is not waited for (`VendorRateLimitError`). */
    maxRetryAfterMs: z.int().min(0).default(60_000),
    /** Minimum gap between requests. Default 120 ms (ZapSign's published 500 requests per minute). */
    minIntervalMs: z.int().min(0).default(PUBLISHED_MIN_INTERVAL_MS),
    /** Signer logs fetched at once by `listActivity`. */
    concurrency: z.int().min(1).max(32).default(4),
    /** Value of the custom header set on the ZapSign webhook; required by `parseWebhook`. */
    webhookSecret: z.string().min(1).optional(),
    webhookHeader: z
      .string()
      .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'an HTTP header name')
      .default('x-zapsign-secret'),
    /** `fetch` implementation (tests, proxies). */
    fetch: z
      .custom<typeof globalThis.fetch>((value) => typeof value === 'function', 'a fetch function')
      .optional(),
  })
  .refine((options) => !(options.apiToken && options.jwt), {
    path: ['apiToken'],
    message: 'give either apiToken or jwt, not both',
  });

/** Options as given by the caller. */
export type ZapsignOptions = z.input<typeof zapsignOptionsSchema>;
/** Options with defaults applied. */
export type ResolvedZapsignOptions = z.output<typeof zapsignOptionsSchema>;

/** The API host these options point at. */
export function baseUrlOf(options: ResolvedZapsignOptions): string {
  return options.baseUrl ?? ZAPSIGN_BASE_URLS[options.environment];
}

/**
 * Options from flat string settings (environment variables, a stored connection): the JWT flow's
 * `organizationId`, `username` and `password` are nested under `jwt`.
 */
export function zapsignOptionsFromSettings(settings: Record<string, unknown>): ZapsignOptions {
  const { organizationId, username, password, ...rest } = settings;
  const jwt = organizationId || username || password ? { jwt: { organizationId, username, password } } : {};
  return { ...rest, ...jwt } as ZapsignOptions;
}
