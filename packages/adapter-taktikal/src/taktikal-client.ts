import { createVendorHttp, InvalidOptionsError, type VendorHttp, VendorResponseError } from '@signtrail/core';
import {
  activityResponseSchema,
  activityTotalSchema,
  type TaktikalProcess,
  VENDOR,
  wrappers,
} from './taktikal-api.js';
import type { ResolvedTaktikalOptions } from './taktikal-options.js';

/** `FlowType` filter values. */
export const FLOW_TYPES = [
  'RenderFlow',
  'DropAndSign',
  'FillAndSign',
  'PEP',
  'Thinglysingar',
  'Compliance',
  'CompanyLookup',
] as const;

/** `StatusFilter` values. */
export const STATUS_FILTERS = ['All', 'Completed', 'Active', 'InActive'] as const;

const CURRENT_FILTERS = ['User', 'ProcessKey', 'FlowType', 'FlowKey', 'Search', 'StatusFilter'] as const;
const ENUM_FILTERS: Record<string, readonly string[]> = {
  FlowType: FLOW_TYPES,
  StatusFilter: STATUS_FILTERS,
};

/** A half-open activity window `[start, end)` as ISO instants. */
export interface ActivityWindow {
  start: string;
  end: string;
}

/** Vendor filters split into what is sent and what this API cannot filter on. */
export interface ActivityFilters {
  params: Record<string, string>;
  unsupported: string[];
}

/** The Taktikal HTTP client: endpoints, Skip/Take paging over shifting pages, typed errors. */
export interface TaktikalClient {
  readonly http: VendorHttp;
  /** The raw response holding one process (an array of wrappers or one wrapper). */
  processLog(processKey: string, signal?: AbortSignal): Promise<unknown>;
  /**
   * Every process wrapper with activity in the window, as received. On the current API a wrapper may
   * come more than once (pages shift while they are read); the caller de-duplicates events.
   */
  walkActivity(
    window: ActivityWindow,
    filters: ActivityFilters,
    signal?: AbortSignal,
  ): AsyncIterable<TaktikalProcess>;
}

/** Checks vendor filters: known ones are sent, enum values validated; the rest is reported back. */
export function activityFilters(
  api: ResolvedTaktikalOptions['api'],
  filters: Record<string, string | undefined> = {},
): ActivityFilters {
  const params: Record<string, string> = {};
  const unsupported: string[] = [];
  for (const [name, value] of Object.entries(filters)) {
    if (value === undefined) continue;
    // The legacy API filters by user only (its per-user endpoint).
    const known = api === 'legacy' ? name === 'User' : (CURRENT_FILTERS as readonly string[]).includes(name);
    if (!known) {
      unsupported.push(name);
      continue;
    }
    const allowed = ENUM_FILTERS[name];
    if (allowed && !allowed.includes(value)) {
      throw new InvalidOptionsError(`filters.${name}`, `must be one of ${allowed.join(', ')}`);
    }
    params[name] = value;
  }
  return { params, unsupported };
}

/** Creates the client; credentials are checked before the first request, never echoed. */
export function createTaktikalClient(options: ResolvedTaktikalOptions): TaktikalClient {
  const http = createVendorHttp({
    vendor: VENDOR,
    baseUrl: options.baseUrl,
    timeoutMs: options.timeoutMs,
    retries: options.retries,
    backoffMs: options.backoffMs,
    maxRetryAfterMs: options.maxRetryAfterMs,
    authorize: () => `Basic ${Buffer.from(`${options.companyKey}:${options.apiKey}`).toString('base64')}`,
    vendorMessage: problemDetailsMessage,
    fetch: options.fetch,
  });

  function requireCredentials(): void {
    if (!options.companyKey) throw new InvalidOptionsError('companyKey', 'required to call the Taktikal API');
    if (!options.apiKey) throw new InvalidOptionsError('apiKey', 'required to call the Taktikal API');
  }

  async function activity(
    path: string,
    searchParams: Record<string, string | number>,
    signal?: AbortSignal,
  ): Promise<unknown> {
    return (await http.json({ path, searchParams, schema: activityResponseSchema, signal })).body;
  }

  async function total(params: Record<string, string>, signal?: AbortSignal): Promise<number> {
    const response = await http.json({
      path: 'signing/activity/total',
      searchParams: params,
      schema: activityTotalSchema,
      signal,
    });
    return response.data.total;
  }

  /**
   * Walks `Take`/`Skip` pages (Take counts process wrappers, as `/total` does). A pass is complete when
   * `/total` did not move while it ran and it read exactly that many distinct wrappers, none twice;
   * otherwise records were added (or moved) mid-walk and the pages are walked again, up to `maxPasses`.
   * Memory: one page plus the process keys of the current pass.
   */
  async function* walkCurrent(params: Record<string, string>, signal?: AbortSignal) {
    for (let pass = 1; ; pass += 1) {
      const before = await total(params, signal);
      const keys = new Set<string>();
      let read = 0;
      for (let skip = 0; ; ) {
        const page = wrappers(
          await activity('signing/activity', { ...params, Take: options.pageSize, Skip: skip }, signal),
        );
        for (const wrapper of page) {
          keys.add(wrapper.processKey);
          read += 1;
          yield wrapper;
        }
        if (page.length < options.pageSize) break;
        skip += page.length;
      }
      const after = await total(params, signal);
      if (before === after && read === after && keys.size === after) return;
      if (pass >= options.maxPasses) {
        throw new VendorResponseError(
          `activity pages kept shifting: ${options.maxPasses} passes, /total ${before} then ${after}, ${keys.size} distinct processes read in the last pass`,
          { vendor: VENDOR, url: `${options.baseUrl}/signing/activity` },
        );
      }
    }
  }

  return {
    http,
    async processLog(processKey, signal) {
      requireCredentials();
      if (options.api === 'legacy') {
        return activity(`signing/activity/${encodeURIComponent(processKey)}`, {}, signal);
      }
      const end = new Date(Date.now() + 86_400_000).toISOString();
      const start = new Date(options.earliestActivity).toISOString();
      return activity(
        'signing/activity',
        { StartDate: start, EndDate: end, ProcessKey: processKey, Take: options.pageSize },
        signal,
      );
    },
    async *walkActivity(window, filters, signal) {
      requireCredentials();
      if (options.api === 'legacy') {
        const user = filters.params.User;
        const path = `signing/activity/user/${user === undefined ? '' : encodeURIComponent(user)}`;
        yield* wrappers(await activity(path, { from: window.start, to: window.end }, signal));
        return;
      }
      yield* walkCurrent({ ...filters.params, StartDate: window.start, EndDate: window.end }, signal);
    },
  };
}

/** ASP.NET validation problem details (`{ title, errors: { Field: [message] } }`) as one line. */
function problemDetailsMessage(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const { title, errors } = body as { title?: unknown; errors?: unknown };
  if (errors === null || typeof errors !== 'object') return undefined;
  const details = Object.entries(errors as Record<string, unknown>)
    .map(([field, messages]) => `${field}: ${[messages].flat().join(' ')}`)
    .join('; ');
  return typeof title === 'string' ? `${title} ${details}` : details;
}
