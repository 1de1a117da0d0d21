import { InvalidOptionsError } from '@signtrail/core';
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

const timeZoneSchema = z
  .string()
  .refine(isTimeZone, { message: 'an IANA time zone name, e.g. Europe/London' });

/** Options of `createSigninghubAdapter`; unknown options are rejected. */
export const signinghubOptionsSchema = z.strictObject({
  /** API root; `/authenticate` and `/v3/…` live under it. */
  baseUrl: z.url().default('https://api.signinghub.com'),
  /** OAuth client of the integration (SigningHub "application"). */
  clientId: z.string().min(1).optional(),
  clientSecret: z.string().min(1).optional(),
  /** With `password`: the password grant; without both: the client-credentials grant. */
  username: z.string().min(1).optional(),
  password: z.string().min(1).optional(),
  /** E-mail of the user an enterprise admin acts for (sent as `scope`). */
  scope: z.string().min(1).optional(),
  /** Zone SigningHub's zone-less `date_time` values are read in (the account's zone). */
  timeZone: timeZoneSchema.default('UTC'),
  timeoutMs: z.number().int().positive().default(30_000),
  retries: z.number().int().nonnegative().max(10).default(4),
  backoffMs: z.number().int().nonnegative().default(250),
  /** Package logs (and log details) fetched at once. */
  concurrency: z.number().int().min(1).max(32).default(4),
  /** Packages per listing page (`records`). */
  pageSize: z.number().int().min(1).max(500).default(50),
  /** Listing filter (`document_status`) used by `listActivity`. */
  documentStatus: z.enum(DOCUMENT_STATUSES).default('ALL'),
  /** Fetch `…/log/{log_id}/details` per action to add `ip` and document names (one request per action). */
  enrichDetails: z.boolean().default(false),
  /** Per-connection secret SigningHub callbacks must carry (header `x-signtrail-secret` or `?secret=`). */
  webhookSecret: z.string().min(16).optional(),
  fetch: z
    .custom<typeof globalThis.fetch>((value) => typeof value === 'function', { message: 'a fetch function' })
    .optional(),
});

/** Options as the caller writes them. */
export type SigninghubOptions = z.input<typeof signinghubOptionsSchema>;
/** Options with defaults applied. */
export type ResolvedSigninghubOptions = z.output<typeof signinghubOptionsSchema>;

/** Validates options; the first problem becomes an `InvalidOptionsError` naming the option. */
export function resolveSigninghubOptions(options: SigninghubOptions = {}): ResolvedSigninghubOptions {
  const result = signinghubOptionsSchema.safeParse(options);
  if (!result.success) {
    const issue = result.error.issues[0];
    const option =
      issue?.code === 'unrecognized_keys'
        ? (issue.keys[0] ?? 'options')
        : String(issue?.path[0] ?? 'options');
    const message = issue?.code === 'unrecognized_keys' ? 'unknown option' : (issue?.message ?? 'invalid');
    throw new InvalidOptionsError(option, message);
  }
  const resolved = result.data;
  if ((resolved.username === undefined) !== (resolved.password === undefined)) {
    const missing = resolved.username === undefined ? 'username' : 'password';
    throw new InvalidOptionsError(missing, 'username and password go together (password grant)');
  }
  return resolved;
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
