import { createHash } from 'node:crypto';
import { normalizeTimestamp } from '@signtrail/core';
import {
  generateStories,
  type SimRequest,
  type SimResponse,
  type SimRoute,
  type Story,
  type StoryOptions,
} from '@signtrail/sandbox';
import type { TaktikalProcess } from '../taktikal-api.js';
import { FLOW_TYPES, STATUS_FILTERS } from '../taktikal-client.js';
import { renderTaktikalProcess, taktikalFlowKey } from './render-taktikal.js';

/** Basic auth credentials the simulator accepts. */
export interface TaktikalCredentials {
  companyKey: string;
  apiKey: string;
}

/** Options of `createTaktikalRoutes`. */
export interface TaktikalRoutesOptions {
  stories: Story[];
  credentials: TaktikalCredentials;
  /** Vocabulary and resolution of the processes the `shift` fault inserts. */
  storyOptions: Partial<StoryOptions>;
}

/** The simulator's routes, its auth check, and the `shift` fault's inserter. */
export interface TaktikalRoutes {
  routes: SimRoute[];
  authenticate(request: SimRequest): SimResponse | undefined;
  onShift(count: number): void;
  /** Every process served now: the given stories plus those the `shift` fault inserted. */
  stories(): Story[];
}

interface Served {
  story: Story;
  current: TaktikalProcess;
  legacy: TaktikalProcess;
  created: string;
  owner: string;
  flowKey: string;
  flowType: string;
  /** Lower-case text `Search` looks in: process key, signee name/e-mail/phone/SSN, file name. */
  haystack: string;
}

const DENIED: SimResponse = {
  status: 401,
  json: { Message: 'Authorization has been denied for this request.' },
};
const NOT_FOUND: SimResponse = { status: 404, json: { Message: 'Signing process not found.' } };
const LEGACY_BAD_DATES: SimResponse = {
  status: 400,
  json: { Message: 'from must be a date earlier than to.' },
};
const DAY_MS = 86_400_000;

/**
 * Taktikal's endpoints over a set of stories. Current API: wrappers newest process first, `Take`/`Skip`
 * counting wrappers, `/total` counting the same; a wrapper matches a window `[StartDate, EndDate)` when
 * any of its entries does, and then carries its whole log. Legacy API: the per-process endpoint and the
 * per-user endpoint (`/user/` alone: every process of the company), both with optional `from`/`to` (the
 * per-process one answers `[]` for a process without activity in the window, 404 for an unknown one).
 */
export function createTaktikalRoutes(options: TaktikalRoutesOptions): TaktikalRoutes {
  const served = options.stories.map(serve);
  let shifts = 0;

  const routes: SimRoute[] = [
    {
      name: 'total',
      method: 'GET',
      path: '/signing/activity/total',
      handle: (request) => withQuery(request, (matching) => ({ json: { total: matching.length } })),
    },
    {
      name: 'activity',
      method: 'GET',
      path: '/signing/activity',
      handle: (request) =>
        withQuery(request, (matching) => {
          const take = count(request.query.get('Take'), 10_000);
          const skip = count(request.query.get('Skip'), 0);
          if (take === undefined || skip === undefined)
            return invalid('Take', 'Take and Skip must be whole numbers.');
          return { json: matching.slice(skip, skip + take).map((entry) => entry.current) };
        }),
    },
    {
      name: 'legacy-user',
      method: 'GET',
      path: '/signing/activity/user',
      handle: (request) => legacyUser(request, undefined),
    },
    {
      name: 'legacy-user',
      method: 'GET',
      path: '/signing/activity/user/:user',
      handle: (request) => legacyUser(request, request.params.user),
    },
    {
      name: 'legacy-process',
      method: 'GET',
      path: '/signing/activity/:processKey',
      handle: (request) => {
        const entry = served.find((candidate) => candidate.story.processId === request.params.processKey);
        if (!entry) return NOT_FOUND;
        const window = legacyWindow(request);
        if (!window) return LEGACY_BAD_DATES;
        return { json: active(entry, window.start, window.end) ? [entry.legacy] : [] };
      },
    },
  ];

  function withQuery(request: SimRequest, answer: (matching: Served[]) => SimResponse): SimResponse {
    const query = request.query;
    const start = instant(query.get('StartDate'));
    const end = instant(query.get('EndDate'));
    if (start === undefined)
      return invalid('StartDate', 'The StartDate field is required and must be a date.');
    if (end === undefined) return invalid('EndDate', 'The EndDate field is required and must be a date.');
    if (start >= end) return invalid('StartDate', 'StartDate must be earlier than EndDate.');
    for (const [name, allowed] of [
      ['FlowType', FLOW_TYPES],
      ['StatusFilter', STATUS_FILTERS],
    ] as const) {
      const value = query.get(name);
      if (value !== null && !(allowed as readonly string[]).includes(value)) {
        return invalid(name, `The value '${value}' is not valid for ${name}.`);
      }
    }
    const status = query.get('StatusFilter') ?? 'All';
    const search = query.get('Search')?.toLowerCase();
    const matching = ordered().filter(
      (entry) =>
        active(entry, start, end) &&
        same(query.get('User'), entry.owner) &&
        same(query.get('ProcessKey'), entry.story.processId) &&
        same(query.get('FlowType'), entry.flowType) &&
        same(query.get('FlowKey'), entry.flowKey) &&
        (status === 'All' || entry.current.status === status) &&
        (!search || entry.haystack.includes(search)),
    );
    return answer(matching);
  }

  function legacyUser(request: SimRequest, user: string | undefined): SimResponse {
    const window = legacyWindow(request);
    if (!window) return LEGACY_BAD_DATES;
    const matching = ordered().filter(
      (entry) =>
        active(entry, window.start, window.end) &&
        (user === undefined || same(user.toLowerCase(), entry.owner)),
    );
    return { json: matching.map((entry) => entry.legacy) };
  }

  function ordered(): Served[] {
    return [...served].sort((a, b) =>
      a.created !== b.created
        ? a.created < b.created
          ? 1
          : -1
        : a.story.processId < b.story.processId
          ? -1
          : 1,
    );
  }

  return {
    routes,
    authenticate(request) {
      const { companyKey, apiKey } = options.credentials;
      const expected = `Basic ${Buffer.from(`${companyKey}:${apiKey}`).toString('base64')}`;
      return request.headers.authorization === expected ? undefined : DENIED;
    },
    onShift(insert) {
      // New processes created inside the span of the existing ones, so they land between served pages.
      shifts += 1;
      const created = served.map((entry) => Date.parse(entry.created)).sort((a, b) => a - b);
      const first = created[0] ?? Date.parse('2024-01-01T00:00:00Z');
      const last = created.at(-1) ?? first;
      const stories = generateStories({
        ...options.storyOptions,
        seed: 7919 * shifts,
        processes: insert,
        start: new Date(first).toISOString(),
        spanDays: Math.max(1, (last - first) / DAY_MS),
        processIdPrefix: `sx${shifts}n`,
        vendor: options.stories[0]?.events[0]?.vendor ?? 'sandbox',
      });
      served.push(...stories.map(serve));
    },
    stories: () => served.map((entry) => entry.story),
  };
}

function serve(story: Story): Served {
  const people = story.signers.flatMap((person) => [person.name, person.email, person.phone, person.ssn]);
  const digest = createHash('sha256').update(`flowtype:${story.processId}`).digest();
  return {
    story,
    current: renderTaktikalProcess(story, 'current'),
    legacy: renderTaktikalProcess(story, 'legacy'),
    created: story.events[0]?.occurredAt ?? '',
    owner: story.owner.email.toLowerCase(),
    flowKey: taktikalFlowKey(story),
    flowType: FLOW_TYPES[digest[0]! % FLOW_TYPES.length]!,
    haystack: [story.processId, ...people, story.fileName].join('\n').toLowerCase(),
  };
}

/** The legacy endpoints' optional `from`/`to` as a window (open-ended where absent); `undefined` when invalid. */
function legacyWindow(request: SimRequest): { start: string; end: string } | undefined {
  const from = request.query.get('from');
  const to = request.query.get('to');
  const start = from === null ? '' : instant(from);
  const end = to === null ? '9999' : instant(to);
  return start === undefined || end === undefined || start >= end ? undefined : { start, end };
}

/** True when one of the story's events lies in `[start, end)` (normalized instants compare as text). */
function active(entry: Served, start: string, end: string): boolean {
  return entry.story.events.some((event) => event.occurredAt >= start && event.occurredAt < end);
}

/** An absent filter matches everything; a given one matches exactly (case-insensitive). */
function same(filter: string | null, value: string): boolean {
  return filter === null || filter.toLowerCase() === value.toLowerCase();
}

function instant(value: string | null): string | undefined {
  if (value === null) return undefined;
  try {
    return normalizeTimestamp(value);
  } catch {
    return undefined;
  }
}

function count(value: string | null, fallback: number): number | undefined {
  if (value === null) return fallback;
  return /^\d{1,9}$/.test(value) ? Number(value) : undefined;
}

/** ASP.NET's validation problem details, the shape a 400 from the API takes. */
function invalid(field: string, message: string): SimResponse {
  return {
    status: 400,
    json: {
      type: 'https://tools.ietf.org/html/rfc7231#section-6.5.1',
      title: 'One or more validation errors occurred.',
      status: 400,
      errors: { [field]: [message] },
    },
  };
}
