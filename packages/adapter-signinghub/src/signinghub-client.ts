import {
  createVendorHttp,
  InvalidOptionsError,
  VendorAuthError,
  type VendorHttp,
  VendorResponseError,
} from '@signtrail/core';
import type { z } from 'zod';
import {
  type LogDetailNode,
  logDetailsSchema,
  type PackageSummary,
  packageLogSchema,
  packagesPageSchema,
  tokenSchema,
  VENDOR,
} from './signinghub-api.js';
import type { ResolvedSigninghubOptions } from './signinghub-options.js';

/** A token is renewed this long before SigningHub says it expires (at most a tenth of its lifetime). */
const TOKEN_MARGIN_MS = 60_000;
/** Walks of the package listing at most (the first, then checks while the listing keeps changing). */
const MAX_LISTING_PASSES = 3;
/** Step-backs within one pass at most, so a listing that keeps shrinking and growing cannot loop forever. */
const MAX_STEP_BACKS = 16;

/** The SigningHub v3 HTTP client: OAuth token, package listing, package logs, log details. */
export interface SigninghubClient {
  /** `GET /v3/packages/{package_id}/log`: the body exactly as received (validated). */
  getLog(packageId: string, signal?: AbortSignal): Promise<unknown>;
  /** Every package of the listing, page by page, each once even when pages shift underneath. */
  packages(documentStatus: string, signal?: AbortSignal): AsyncGenerator<PackageSummary>;
  /** `GET /v3/packages/{package_id}/log/{log_id}/details` as a list of nodes. */
  logDetails(packageId: string, logId: string, signal?: AbortSignal): Promise<LogDetailNode[]>;
  /** HTTP requests sent so far (token requests and retries included). */
  readonly requestCount: number;
}

/** Creates the client; credentials are checked at the first request, so offline use needs none. */
export function createSigninghubClient(options: ResolvedSigninghubOptions): SigninghubClient {
  const common = {
    vendor: VENDOR,
    baseUrl: options.baseUrl,
    timeoutMs: options.timeoutMs,
    retries: options.retries,
    backoffMs: options.backoffMs,
    maxRetryAfterMs: options.maxRetryAfterMs,
    fetch: options.fetch,
  };
  // The token endpoint has its own client: a 401 there must not trigger a token renewal.
  const auth = createVendorHttp(common);
  const tokens = createTokenCache(auth, options);
  const api = createVendorHttp({
    ...common,
    authorize: async () => `Bearer ${await tokens.get()}`,
    onUnauthorized: async (refused) => {
      await tokens.renew(refused);
      return true;
    },
  });
  const limit = createLimiter(options.concurrency);
  const get = <S extends z.ZodType>(path: string, schema: S, signal?: AbortSignal) =>
    limit(() => api.json({ path, schema, signal }));

  return {
    get requestCount() {
      return auth.requestCount + api.requestCount;
    },
    async getLog(packageId, signal) {
      return (await get(`v3/packages/${encodeURIComponent(packageId)}/log`, packageLogSchema, signal)).body;
    },
    async *packages(documentStatus, signal) {
      // Each package read, with the pass that first read it.
      const seen = new Map<string, number>();
      const page = (number: number) =>
        get(
          `v3/packages/${encodeURIComponent(documentStatus)}/${number}/${options.pageSize}`,
          packagesPageSchema,
          signal,
        );
      for (let pass = 1; pass <= MAX_LISTING_PASSES; pass += 1) {
        const { added, settled } = yield* listingPass(page, options.pageSize, seen, pass);
        // A pass that may have missed a package (no total, the total moved, or the listing reordered) is
        // checked by another one, until a pass finds nothing new.
        if (settled || (pass > 1 && added === 0)) return;
      }
    },
    async logDetails(packageId, logId, signal) {
      const path = `v3/packages/${encodeURIComponent(packageId)}/log/${encodeURIComponent(logId)}/details`;
      const { data } = await get(path, logDetailsSchema, signal);
      return Array.isArray(data) ? data : [data];
    },
  };
}

type ListingPage = (number: number) => Promise<{ data: PackageSummary[]; headers: Headers }>;

/**
 * One walk of the numbered listing pages, yielding packages not in `seen`. Packages created meanwhile push
 * others onto later pages (read again, skipped); packages deleted or leaving a `documentStatus` filter pull
 * later ones onto pages already read, so when `x-total-records` drops the walk steps back by as many pages
 * as the drop spans. `settled`: the total was sent and never moved, and no package came twice in this pass
 * (a step-back, which re-reads packages, follows a drop and so is never settled), so nothing can have been
 * missed. A package seen twice with a steady total means one further down moved up past the pages read (a
 * reordering: the listing's sort is not documented).
 */
async function* listingPass(
  page: ListingPage,
  pageSize: number,
  seen: Map<string, number>,
  pass: number,
): AsyncGenerator<PackageSummary, { added: number; settled: boolean }> {
  let added = 0;
  let settled = true;
  let stepBacks = 0;
  let previous: number | undefined;
  for (let number = 1; ; number += 1) {
    const { data, headers } = await page(number);
    for (const summary of data) {
      const id = String(summary.package_id);
      const readIn = seen.get(id);
      if (readIn !== undefined) {
        if (readIn === pass) settled = false;
        continue;
      }
      seen.set(id, pass);
      added += 1;
      yield summary;
    }
    const total = Number(headers.get('x-total-records') ?? Number.NaN);
    if (Number.isNaN(total) || (previous !== undefined && total !== previous)) settled = false;
    const drop = previous !== undefined && total < previous ? previous - total : 0;
    previous = total;
    if (drop > 0 && stepBacks < MAX_STEP_BACKS) {
      // Packages not read yet moved up by at most `drop` places: read again from where they can be now.
      stepBacks += 1;
      number = Math.max(1, number - Math.ceil(drop / pageSize)) - 1;
      continue;
    }
    // `x-total-records` (when sent) spares the empty page after a full last one.
    if (data.length < pageSize || number * pageSize >= total) return { added, settled };
  }
}

interface TokenCache {
  /** A valid token, fetched when there is none or it is about to expire. */
  get(): Promise<string>;
  /** Drops the token the API refused (`Bearer …`), unless already renewed, and fetches another. */
  renew(refused: string | undefined): Promise<void>;
}

function createTokenCache(auth: VendorHttp, options: ResolvedSigninghubOptions): TokenCache {
  let current: { token: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;

  async function fetchToken(): Promise<string> {
    const { clientId, clientSecret, username, password, scope } = options;
    if (clientId === undefined)
      throw new InvalidOptionsError('clientId', 'required to call the SigningHub API');
    if (clientSecret === undefined) {
      throw new InvalidOptionsError('clientSecret', 'required to call the SigningHub API');
    }
    const form: Record<string, string> =
      username !== undefined && password !== undefined
        ? { grant_type: 'password', client_id: clientId, client_secret: clientSecret, username, password }
        : { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret };
    if (scope !== undefined) form.scope = scope;
    try {
      const { data } = await auth.json({
        path: 'authenticate',
        method: 'POST',
        form,
        authorize: false,
        schema: tokenSchema,
      });
      const lifetimeMs = data.expires_in * 1000;
      current = {
        token: data.access_token,
        renewAt: Date.now() + lifetimeMs - Math.min(TOKEN_MARGIN_MS, lifetimeMs / 10),
      };
      return data.access_token;
    } catch (error) {
      // OAuth refusals (`{ error, error_description }`) come as 400: they are credential problems too.
      if (error instanceof VendorResponseError && error.status === 400) {
        throw new VendorAuthError({
          vendor: VENDOR,
          url: error.url,
          status: error.status,
          vendorMessage: error.vendorMessage,
          requestId: error.requestId,
          responseBody: error.responseBody,
          cause: error,
        });
      }
      throw error;
    }
  }

  function get(): Promise<string> {
    if (current && Date.now() < current.renewAt) return Promise.resolve(current.token);
    pending ??= fetchToken().finally(() => {
      pending = undefined;
    });
    return pending;
  }

  return {
    get,
    async renew(refused) {
      // Concurrent refusals of one token share one renewal: a token renewed meanwhile is kept.
      if (current && refused === `Bearer ${current.token}`) current = undefined;
      await get();
    },
  };
}

/** Runs at most `max` tasks at once; the others wait their turn in order. */
function createLimiter(max: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    try {
      return await task();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
}

type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

/**
 * Maps `source` through `task` with at most `limit` tasks in flight, yielding results in source order.
 * Memory stays bounded by `limit`; stopping early aborts the tasks still running.
 */
export async function* mapConcurrent<T, R>(
  source: AsyncIterable<T> | Iterable<T>,
  limit: number,
  task: (item: T, signal: AbortSignal) => Promise<R>,
): AsyncGenerator<R> {
  const iterator =
    Symbol.asyncIterator in source
      ? source[Symbol.asyncIterator]()
      : (source as Iterable<T>)[Symbol.iterator]();
  const controller = new AbortController();
  const window: Promise<Settled<R>>[] = [];
  let exhausted = false;
  try {
    for (;;) {
      while (!exhausted && window.length < limit) {
        const next = await iterator.next();
        if (next.done) exhausted = true;
        else window.push(settle(task(next.value, controller.signal)));
      }
      const head = window.shift();
      if (head === undefined) return;
      const result = await head;
      if (!result.ok) throw result.error;
      yield result.value;
    }
  } finally {
    controller.abort();
    await iterator.return?.();
  }
}

function settle<R>(promise: Promise<R>): Promise<Settled<R>> {
  return promise.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );
}
