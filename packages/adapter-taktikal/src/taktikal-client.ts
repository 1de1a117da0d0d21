import {
  type AdapterWarning,
  createVendorHttp,
  InvalidOptionsError,
  type VendorHttp,
  VendorNotFoundError,
} from '@signtrail/core';
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
   * Every process wrapper with activity in the window, as received, each once (pages that shift while they
   * are read are re-read and verified against `/total`). A walk that cannot settle ends with a warning
   * to `onWarning`, never a throw after wrappers were yielded.
   */
  walkActivity(
    window: ActivityWindow,
    filters: ActivityFilters,
    signal?: AbortSignal,
    onWarning?: (warning: AdapterWarning) => void,
  ): AsyncIterable<TaktikalProcess>;
}

/** What a page walk reads: one page of process wrappers at an offset, and how many match now (`/total`). */
export interface ActivityPages {
  page(skip: number, take: number): Promise<TaktikalProcess[]>;
  total(): Promise<number>;
}

/** How a page walk runs. */
export interface PageWalkOptions {
  pageSize: number;
  /** Walks from the first page (the first one included) before the walk ends with a warning. */
  maxPasses: number;
  /**
   * Records only join the matching set while it is read (no `StatusFilter` narrowing it: activity added to a
   * process never takes it out of a window). Then every yielded record still counts in `/total`, so `/total`
   * equal to the number yielded proves the walk complete, and a later pass stops as soon as it is.
   */
  growOnly: boolean;
  onWarning?: (warning: AdapterWarning) => void;
  /** Where the process keys read so far are marked (with the pass that last read them). */
  read?: Map<string, number>;
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
    // The legacy API filters by user (its per-user endpoint) or by process (its per-process endpoint).
    const known =
      api === 'legacy'
        ? name === 'User' || name === 'ProcessKey'
        : (CURRENT_FILTERS as readonly string[]).includes(name);
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
  // The legacy per-process endpoint cannot also filter by user.
  if (api === 'legacy' && params.ProcessKey !== undefined && params.User !== undefined) {
    delete params.User;
    unsupported.push('User');
  }
  return { params, unsupported };
}

/**
 * Walks `Take`/`Skip` pages of wrappers (Take counts wrappers, as `/total` does) and yields each process
 * once. Records added while it reads shift the pages: a wrapper served again is skipped, and one pushed past
 * where the walk stopped is read because the walk ends only at a short page or at an offset `/total`
 * (asked again there) does not exceed. Records that land before the offset already read are found by
 * reading again from the first page, verified against `/total`: with `growOnly` that pass stops as soon
 * as every counted record was yielded (new processes come first, newest first, so usually after one
 * page); otherwise a pass is complete when `/total` did not move while it ran and it read exactly that
 * many distinct wrappers. After `maxPasses` passes without that, the walk ends with a `data` warning.
 * Memory: one page plus one mark per process read (never one per event).
 */
export async function* walkPages(
  pages: ActivityPages,
  options: PageWalkOptions,
): AsyncGenerator<TaktikalProcess> {
  const { pageSize, maxPasses, growOnly } = options;
  const read = options.read ?? new Map<string, number>();
  let total = await pages.total();
  for (let pass = 1; ; pass += 1) {
    const before = total;
    let distinct = 0;
    let checked = false; // `total` was asked for after this pass's last page
    for (let skip = 0; ; skip += pageSize) {
      if (growOnly && read.size >= total) {
        total = await pages.total();
        if (read.size >= total) return;
      }
      if (skip >= total) {
        total = await pages.total();
        checked = true;
        if (skip >= total) break;
      }
      const page = await pages.page(skip, pageSize);
      checked = false;
      for (const wrapper of page) {
        const last = read.get(wrapper.processKey);
        if (last === pass) continue; // served again in this pass by a shifted page
        read.set(wrapper.processKey, pass);
        distinct += 1;
        if (last === undefined) yield wrapper;
      }
      if (page.length < pageSize) break;
    }
    if (!checked) total = await pages.total();
    if (growOnly ? read.size >= total : before === total && distinct === total) return;
    if (pass >= maxPasses) {
      options.onWarning?.(unsettled(maxPasses, total, read.size));
      return;
    }
  }
}

/** The warning of a walk whose records kept moving: what it read, and that the next sync reads again. */
function unsettled(passes: number, total: number, read: number): AdapterWarning {
  return {
    type: 'data',
    message: `${VENDOR}: activity kept changing while it was read (${passes} passes; /total ${total}, ${read} processes read); records added during the walk may be missing until the window is read again`,
  };
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

  /** The current API's pages for one query. */
  function currentPages(params: Record<string, string>, signal?: AbortSignal): ActivityPages {
    return {
      page: async (skip, take) =>
        wrappers(await activity('signing/activity', { ...params, Take: take, Skip: skip }, signal)),
      total: () => total(params, signal),
    };
  }

  /** The legacy API: the per-process endpoint for a `ProcessKey` filter, else the per-user one; no paging. */
  async function legacyActivity(
    window: ActivityWindow,
    params: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<TaktikalProcess[]> {
    const dates = { from: window.start, to: window.end };
    const processKey = params.ProcessKey;
    if (processKey !== undefined) {
      try {
        return wrappers(await activity(`signing/activity/${encodeURIComponent(processKey)}`, dates, signal));
      } catch (error) {
        // An unknown process has no activity in any window: nothing to list, as on the current API.
        if (error instanceof VendorNotFoundError) return [];
        throw error;
      }
    }
    const user = params.User;
    const path = `signing/activity/user/${user === undefined ? '' : encodeURIComponent(user)}`;
    return wrappers(await activity(path, dates, signal));
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
    async *walkActivity(window, filters, signal, onWarning) {
      requireCredentials();
      if (options.api === 'legacy') {
        yield* await legacyActivity(window, filters.params, signal);
        return;
      }
      const params = { ...filters.params, StartDate: window.start, EndDate: window.end };
      const status = filters.params.StatusFilter;
      yield* walkPages(currentPages(params, signal), {
        pageSize: options.pageSize,
        maxPasses: options.maxPasses,
        growOnly: status === undefined || status === 'All',
        onWarning,
      });
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
