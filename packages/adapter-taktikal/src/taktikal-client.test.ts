import {
  type AdapterWarning,
  canonicalJson,
  InvalidOptionsError,
  type NormalizedEvent,
  type ProcessLog,
  VendorAuthError,
  VendorNotFoundError,
  VendorRateLimitError,
  VendorResponseError,
  VendorSchemaError,
} from '@signtrail/core';
import { storyProjection } from '@signtrail/core/testing';
import {
  ALL_FAULTS,
  type FaultRule,
  formatMicros,
  generateStories,
  type Story,
  startSimulator,
} from '@signtrail/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import totalFixture from './__fixtures__/activity-total.json' with { type: 'json' };
import {
  processStatusOf,
  startTaktikalSimulator,
  storyOptions,
  type TaktikalApi,
  type TaktikalSimulator,
  taktikalDetails,
  taktikalFlowKey,
} from './sandbox/index.js';
import { createTaktikalAdapter, type TaktikalAdapter } from './taktikal-adapter.js';
import type { TaktikalProcess } from './taktikal-api.js';
import { activityResponseSchema, activityTotalSchema } from './taktikal-api.js';
import { type ActivityPages, FLOW_TYPES, type PageWalkOptions, walkPages } from './taktikal-client.js';
import type { TaktikalOptions } from './taktikal-options.js';

const WINDOW = { from: '2023-12-01T00:00:00Z', to: '2024-03-01T00:00:00Z' };
const stories = generateStories({ ...storyOptions, seed: 21, processes: 25 });

function adapterFor(sim: TaktikalSimulator, options: TaktikalOptions = {}) {
  return createTaktikalAdapter({
    baseUrl: sim.baseUrl,
    companyKey: sim.credentials.companyKey!,
    apiKey: sim.credentials.apiKey!,
    timeoutMs: 400,
    retries: 4,
    backoffMs: 1,
    pageSize: 4,
    ...options,
  });
}

async function collect(logs: AsyncIterable<ProcessLog>): Promise<ProcessLog[]> {
  const out: ProcessLog[] = [];
  for await (const log of logs) out.push(log);
  return out;
}

/** The events as comparable, sorted projections (core's story projection plus what Taktikal carries). */
function projected(events: readonly NormalizedEvent[], api: TaktikalApi): string[] {
  const details = taktikalDetails(api);
  return events.map((event) => canonicalJson({ ...storyProjection(event), ...details(event) })).sort();
}

function expectExactly(logs: ProcessLog[], expected: readonly Story[], api: TaktikalApi): void {
  const events = logs.flatMap((log) => log.events);
  expect(new Set(events.map((event) => event.id)).size).toBe(events.length); // nothing twice
  expect(projected(events, api)).toEqual(
    projected(
      expected.flatMap((story) => story.events),
      api,
    ),
  ); // nothing lost
}

/** An RFC 3339 instant with microseconds, moved by `micros`. */
function plusMicros(instant: string, micros: number): string {
  return formatMicros(Date.parse(`${instant.slice(0, 23)}Z`) * 1000 + Number(instant.slice(23, 26)) + micros);
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('listActivity against the simulator, every fault: the synced set equals the story', () => {
  for (const fault of ALL_FAULTS) {
    const label = fault.kind === 'status' ? `status ${fault.status}` : fault.kind;
    it(`current API, ${label}`, async () => {
      const hits = fault.kind === 'shift' ? [2, 5] : [2];
      const faults: FaultRule[] = [
        { route: 'activity', hits, fault },
        { route: 'total', hits: [1], fault },
      ];
      const sim = await startTaktikalSimulator({ stories, faults });
      try {
        const logs = await collect(adapterFor(sim).listActivity(WINDOW));
        expect(sim.requests.some((request) => request.faults.includes(fault.kind))).toBe(true);
        if (fault.kind === 'shift') {
          expect(sim.stories.length).toBe(stories.length + 3 * 3);
          // pages shifted under the first pass: it was walked again
          expect(sim.requests.filter((request) => request.route === 'total').length).toBeGreaterThan(2);
        }
        expectExactly(logs, sim.stories, 'current');
      } finally {
        await sim.close();
      }
    });

    it(`legacy API, ${label}`, async () => {
      const sim = await startTaktikalSimulator({
        stories,
        faults: [{ route: 'legacy-user', hits: [1], fault }],
      });
      try {
        const logs = await collect(adapterFor(sim, { api: 'legacy' }).listActivity(WINDOW));
        expectExactly(logs, sim.stories, 'legacy');
      } finally {
        await sim.close();
      }
    });
  }
});

describe('listActivity against the simulator', () => {
  let sim: TaktikalSimulator;
  beforeAll(async () => {
    sim = await startTaktikalSimulator({ stories });
  });
  afterAll(() => sim.close());

  const keysOf = (logs: ProcessLog[]) => logs.map((log) => log.processId).sort();
  const storyKeys = (predicate: (story: Story) => boolean) =>
    stories
      .filter(predicate)
      .map((story) => story.processId)
      .sort();

  it('yields each process with its whole log, vendor status and raw wrapper', async () => {
    const logs = await collect(adapterFor(sim, { pageSize: 500 }).listActivity(WINDOW));
    expect(keysOf(logs)).toEqual(storyKeys(() => true));
    for (const log of logs) {
      const story = stories.find((candidate) => candidate.processId === log.processId)!;
      expect(log.events).toHaveLength(story.events.length);
      expect(log.vendor).toBe('taktikal');
      expect((log.raw as { processKey: string }).processKey).toBe(log.processId);
      expect(log.vendorStatus).toBe(processStatusOf(story));
    }
  });

  it('asks only for processes with activity in the half-open window', async () => {
    const story = stories[0]!;
    const created = story.events[0]!.occurredAt;
    const last = story.events.at(-1)!.occurredAt;
    const first = await collect(adapterFor(sim).listActivity({ from: created, to: plusMicros(created, 1) }));
    expect(keysOf(first)).toContain(story.processId);
    const onlyLast = await collect(adapterFor(sim).listActivity({ from: last, to: '2030-01-01' }));
    expect(keysOf(onlyLast)).toContain(story.processId);
    const exclusiveEnd = await collect(adapterFor(sim).listActivity({ from: '2020-01-01', to: created }));
    expect(keysOf(exclusiveEnd)).not.toContain(story.processId);
    const after = await collect(
      adapterFor(sim).listActivity({ from: plusMicros(last, 1), to: '2030-01-01' }),
    );
    expect(keysOf(after)).not.toContain(story.processId);
  });

  it('sends the vendor filters', async () => {
    const story = stories[3]!;
    const person = story.signers[0]!;
    const list = (filters: Record<string, string>) =>
      collect(adapterFor(sim).listActivity({ ...WINDOW, filters })).then(keysOf);
    for (const term of [person.email, person.ssn, person.phone, person.name.toUpperCase(), story.fileName]) {
      const found = await list({ Search: term });
      expect(found).toContain(story.processId);
      const has = (s: Story) =>
        [s.processId, s.fileName, ...s.signers.flatMap((p) => [p.name, p.email, p.phone, p.ssn])]
          .join('\n')
          .toLowerCase()
          .includes(term.toLowerCase());
      expect(found).toEqual(storyKeys(has));
    }
    expect(await list({ ProcessKey: story.processId })).toEqual([story.processId]);
    expect(await list({ User: story.owner.email })).toEqual([story.processId]);
    expect(await list({ FlowKey: taktikalFlowKey(story) })).toEqual([story.processId]);
    expect(await list({ StatusFilter: 'Completed' })).toEqual(storyKeys((s) => s.outcome === 'completed'));
    expect(await list({ StatusFilter: 'Active' })).toEqual(storyKeys((s) => s.outcome === 'in_progress'));
    const byFlowType = await Promise.all(FLOW_TYPES.map((FlowType) => list({ FlowType })));
    expect(byFlowType.flat().sort()).toEqual(storyKeys(() => true));
  });

  it('checks enum filters before any request and warns about filters it cannot send', async () => {
    const before = sim.requests.length;
    const error = await rejection(
      collect(adapterFor(sim).listActivity({ ...WINDOW, filters: { FlowType: 'X' } })),
    );
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect((error as InvalidOptionsError).option).toBe('filters.FlowType');
    expect(sim.requests.length).toBe(before);
    const logs = await collect(adapterFor(sim).listActivity({ ...WINDOW, filters: { Color: 'blue' } }));
    expect(logs[0]!.warnings).toEqual([
      expect.objectContaining({ type: 'unsupported', feature: 'filter Color' }),
    ]);
    const unsupported = logs
      .flatMap((log) => log.warnings)
      .filter((warning) => warning.type === 'unsupported');
    expect(unsupported).toHaveLength(1);
    const received: unknown[] = [];
    const reported = await collect(
      adapterFor(sim).listActivity({
        ...WINDOW,
        filters: { Color: 'blue' },
        onWarning: (w) => received.push(w),
      }),
    );
    expect(received).toEqual([expect.objectContaining({ type: 'unsupported', feature: 'filter Color' })]);
    expect(reported.flatMap((log) => log.warnings).filter((w) => w.type === 'unsupported')).toEqual([]);
  });

  it('filters the legacy API by user through its per-user endpoint', async () => {
    const story = stories[5]!;
    const legacy = adapterFor(sim, { api: 'legacy' });
    const mine = await collect(legacy.listActivity({ ...WINDOW, filters: { User: story.owner.email } }));
    expect(keysOf(mine)).toEqual([story.processId]);
    expect(sim.requests.at(-1)?.path).toBe(
      `/api/signing/activity/user/${encodeURIComponent(story.owner.email)}`,
    );
    const searched = await collect(legacy.listActivity({ ...WINDOW, filters: { Search: 'x' } }));
    expect(searched).toHaveLength(stories.length);
    expect(searched[0]!.warnings[0]).toMatchObject({ type: 'unsupported', feature: 'filter Search' });
  });

  it('filters the legacy API by process through its per-process endpoint, within the window', async () => {
    const story = stories[6]!;
    const legacy = adapterFor(sim, { api: 'legacy' });
    const list = (window: { from: string; to: string }, filters: Record<string, string>) =>
      collect(legacy.listActivity({ ...window, filters }));
    const mine = await list(WINDOW, { ProcessKey: story.processId });
    expect(keysOf(mine)).toEqual([story.processId]);
    expect(mine[0]!.warnings).toEqual([]);
    expect(projected(mine[0]!.events, 'legacy')).toEqual(projected(story.events, 'legacy'));
    expect(sim.requests.at(-1)).toMatchObject({
      path: `/api/signing/activity/${story.processId}`,
      route: 'legacy-process',
    });
    // the window is sent and honoured: half-open, as on the per-user endpoint
    const created = story.events[0]!.occurredAt;
    const last = story.events.at(-1)!.occurredAt;
    const only = { ProcessKey: story.processId };
    expect(keysOf(await list({ from: created, to: plusMicros(created, 1) }, only))).toEqual([
      story.processId,
    ]);
    expect(keysOf(await list({ from: last, to: '2030-01-01' }, only))).toEqual([story.processId]);
    expect(await list({ from: '2020-01-01', to: created }, only)).toEqual([]);
    expect(await list({ from: plusMicros(last, 1), to: '2030-01-01' }, only)).toEqual([]);
    // an unknown process has nothing to list; a User filter cannot be combined with it
    expect(await list(WINDOW, { ProcessKey: 'spnosuchprocess' })).toEqual([]);
    const both = await list(WINDOW, { ProcessKey: story.processId, User: 'someone@company.example' });
    expect(keysOf(both)).toEqual([story.processId]);
    expect(both[0]!.warnings).toEqual([
      expect.objectContaining({ type: 'unsupported', feature: 'filter User' }),
    ]);
  });

  it("honours from/to on the simulator's legacy per-process endpoint", async () => {
    const story = stories[6]!;
    const read = (searchParams: Record<string, string>) =>
      adapterFor(sim, { api: 'legacy' }).client.http.json({
        path: `signing/activity/${story.processId}`,
        searchParams,
        schema: activityResponseSchema,
      });
    const created = story.events[0]!.occurredAt;
    expect(((await read({})).body as unknown[]).length).toBe(1);
    expect(((await read({ from: created, to: plusMicros(created, 1) })).body as unknown[]).length).toBe(1);
    expect((await read({ to: created })).body).toEqual([]);
    const error = await rejection(read({ from: WINDOW.to, to: WINDOW.from }));
    expect((error as VendorResponseError).status).toBe(400);
  });

  it('validates the window before any request', async () => {
    const before = sim.requests.length;
    for (const window of [
      { from: WINDOW.to, to: WINDOW.from },
      { from: WINDOW.from, to: WINDOW.from },
      { from: 'yesterday', to: WINDOW.to },
    ]) {
      const error = await rejection(collect(adapterFor(sim).listActivity(window)));
      expect(error).toBeInstanceOf(InvalidOptionsError);
      expect((error as InvalidOptionsError).option).toBe('from');
    }
    expect(sim.requests.length).toBe(before);
  });

  it('answers /total in the documented shape', async () => {
    expect(activityTotalSchema.parse(totalFixture)).toEqual({ total: 1342 });
    const { body } = await adapterFor(sim).client.http.json({
      path: 'signing/activity/total',
      searchParams: { StartDate: WINDOW.from, EndDate: WINDOW.to },
      schema: activityTotalSchema,
    });
    expect(Object.keys(body as object)).toEqual(Object.keys(totalFixture));
    expect(body).toEqual({ total: stories.length });
  });

  it('surfaces the vendor’s validation message', async () => {
    const error = await rejection(
      adapterFor(sim).client.http.json({
        path: 'signing/activity/total',
        searchParams: { StartDate: WINDOW.to, EndDate: WINDOW.from },
        schema: activityTotalSchema,
      }),
    );
    expect(error).toBeInstanceOf(VendorResponseError);
    expect((error as VendorResponseError).status).toBe(400);
    expect((error as VendorResponseError).vendorMessage).toBe(
      'One or more validation errors occurred. StartDate: StartDate must be earlier than EndDate.',
    );
  });

  it('refuses wrong credentials with a typed error that does not echo them', async () => {
    const bad = adapterFor(sim, { apiKey: 'wrong-api-key-value' });
    const before = sim.requests.length;
    const error = await rejection(collect(bad.listActivity(WINDOW)));
    expect(error).toBeInstanceOf(VendorAuthError);
    expect((error as VendorAuthError).status).toBe(401);
    expect((error as VendorAuthError).vendorMessage).toBe('Authorization has been denied for this request.');
    expect(error.message).not.toContain('wrong-api-key-value');
    expect(error.message).not.toContain(sim.credentials.companyKey!);
    expect(sim.requests.length).toBe(before + 1); // no retries on 401
    const none = createTaktikalAdapter({ baseUrl: sim.baseUrl });
    const missing = await rejection(collect(none.listActivity(WINDOW)));
    expect((missing as InvalidOptionsError).option).toBe('companyKey');
    expect(sim.requests.length).toBe(before + 1);
  });
});

describe('getProcessLog against the simulator', () => {
  let sim: TaktikalSimulator;
  beforeAll(async () => {
    sim = await startTaktikalSimulator({ stories });
  });
  afterAll(() => sim.close());

  for (const api of ['current', 'legacy'] as const) {
    it(`reads one process's log exactly (${api} API)`, async () => {
      const story = stories[7]!;
      const log = await adapterFor(sim, { api }).getProcessLog(story.processId);
      expect(log.processId).toBe(story.processId);
      expect(projected(log.events, api)).toEqual(projected(story.events, api));
      expect(Array.isArray(log.raw)).toBe(true);
      if (api === 'current') expect(log.vendorStatus).toBeDefined();
      else expect(log.vendorStatus).toBeUndefined();
    });

    it(`answers an unknown process with VendorNotFoundError (${api} API)`, async () => {
      const error = await rejection(adapterFor(sim, { api }).getProcessLog('spnosuchprocess'));
      expect(error).toBeInstanceOf(VendorNotFoundError);
    });
  }
});

describe('malformed vendor bodies', () => {
  // One good wrapper and one whose entry has a number for its time; the page itself has the documented shape.
  const page = [
    { processKey: 'sp1', activityLog: [{ status: 'Created', createdAt: 5 }] },
    { processKey: 'sp2', activityLog: [{ status: 'Created', createdAt: '2024-01-02T03:04:05.0000000Z' }] },
  ];
  const withMalformedPage = async (run: (adapter: TaktikalAdapter, hits: () => number) => Promise<void>) => {
    const sim = await startSimulator({
      vendor: 'taktikal',
      basePath: '/api',
      routes: [
        { name: 'activity', method: 'GET', path: '/signing/activity', handle: () => ({ json: page }) },
        {
          name: 'total',
          method: 'GET',
          path: '/signing/activity/total',
          handle: () => ({ json: { total: 2 } }),
        },
      ],
    });
    try {
      const adapter = createTaktikalAdapter({
        baseUrl: sim.baseUrl,
        companyKey: 'c',
        apiKey: 'k',
        retries: 1,
        backoffMs: 1,
      });
      await run(adapter, () => sim.hits('activity'));
    } finally {
      await sim.close();
    }
  };

  it('name the exact path of the bad field when the process is read on its own', () =>
    withMalformedPage(async (adapter, hits) => {
      const error = await rejection(adapter.getProcessLog('sp1'));
      expect(error).toBeInstanceOf(VendorSchemaError);
      expect((error as VendorSchemaError).path).toBe('$[0].activityLog[0].createdAt');
      expect(error.message).toBe(
        'taktikal: unexpected payload at $[0].activityLog[0].createdAt: expected string',
      );
      // A page of the wrong shape is read again (a broken answer may be transient); a field inside is data.
      expect(hits()).toBe(1);
    }));

  it('skip the bad process with a warning during a walk, and keep the rest of its page', () =>
    withMalformedPage(async (adapter) => {
      const logs = await collect(adapter.listActivity(WINDOW));
      expect(logs.map((log) => [log.processId, log.events.length])).toEqual([
        ['sp1', 0],
        ['sp2', 1],
      ]);
      expect(logs[0]!.warnings.map((warning) => warning.message)).toEqual([
        'taktikal: process sp1 skipped: its activity does not match the documented shape (at $.activityLog[0].createdAt: string)',
      ]);
    }));
});

describe('walking shifting pages', () => {
  it('ends with a warning, not a throw, when records keep arriving during the whole walk', async () => {
    const first = stories.slice(0, 6);
    const arriving = () =>
      startTaktikalSimulator({
        stories: first,
        // one new process before every page and every /total answer
        faults: [{ fault: { kind: 'shift', count: 1 } }],
      });
    const sim = await arriving();
    const other = await arriving();
    try {
      const warnings: AdapterWarning[] = [];
      const logs = await collect(
        adapterFor(sim, { maxPasses: 3 }).listActivity({ ...WINDOW, onWarning: (w) => warnings.push(w) }),
      );
      expect(warnings).toEqual([
        expect.objectContaining({ type: 'data', message: expect.stringMatching(/kept changing .*3 passes/) }),
      ]);
      const events = logs.flatMap((log) => log.events);
      expect(new Set(events.map((event) => event.id)).size).toBe(events.length); // nothing twice
      const yielded = new Set(logs.map((log) => log.processId));
      expect(yielded.size).toBe(logs.length);
      // every process there when the walk began is read whole; arrivals only add to it
      expectExactly(
        logs.filter((log) => first.some((story) => story.processId === log.processId)),
        first,
        'current',
      );
      const served = new Set(sim.stories.map((story) => story.processId));
      expect([...yielded].every((key) => served.has(key))).toBe(true);
      expect(yielded.size).toBeLessThan(served.size);

      // Without onWarning, the warning comes with the last log yielded.
      const again = await collect(adapterFor(other, { maxPasses: 3 }).listActivity(WINDOW));
      const late = (log: ProcessLog) => log.warnings.filter((warning) => warning.type === 'data');
      expect(again.slice(0, -1).flatMap(late)).toEqual([]);
      expect(late(again.at(-1)!)).toEqual([warnings[0]]);
    } finally {
      await sim.close();
      await other.close();
    }
  });

  it('keeps nothing lost and nothing twice under a StatusFilter, where records may also leave the set', async () => {
    const sim = await startTaktikalSimulator({
      stories,
      faults: [{ route: 'activity', hits: [2, 4], fault: { kind: 'shift', count: 3 } }],
    });
    try {
      const logs = await collect(
        adapterFor(sim).listActivity({ ...WINDOW, filters: { StatusFilter: 'Completed' } }),
      );
      expectExactly(
        logs,
        sim.stories.filter((story) => story.outcome === 'completed'),
        'current',
      );
      expect(sim.stories.length).toBe(stories.length + 6);
    } finally {
      await sim.close();
    }
  });

  /** A vendor list the test edits after given page reads: pages by offset, `/total` its length. */
  function scripted(keys: string[], edits: Record<number, (list: TaktikalProcess[]) => void> = {}) {
    const list: TaktikalProcess[] = keys.map((key) => wrapperOf(key));
    const calls: string[] = [];
    const pages: ActivityPages = {
      async page(skip, take) {
        calls.push(`page ${skip}`);
        const answer = list.slice(skip, skip + take);
        edits[calls.filter((call) => call.startsWith('page')).length]?.(list);
        return answer;
      },
      async total() {
        calls.push('total');
        return list.length;
      },
    };
    return { list, calls, pages };
  }
  const wrapperOf = (key: string, entries = 1): TaktikalProcess => ({
    processKey: key,
    activityLog: Array.from({ length: entries }, (_, id) => ({
      id,
      status: 'Created',
      createdAt: '2024-01-01',
    })),
  });
  const keysOf = (n: number, prefix = 'sp') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
  async function walked(pages: ActivityPages, options: Partial<PageWalkOptions> = {}) {
    const out: string[] = [];
    for await (const wrapper of walkPages(pages, { pageSize: 4, maxPasses: 5, growOnly: true, ...options }))
      out.push(wrapper.processKey);
    return out;
  }

  it('remembers one mark per process, never one per event, however often the pages shift', async () => {
    const { list, pages } = scripted([]);
    list.push(...keysOf(60).map((key) => wrapperOf(key, 25))); // 1 500 entries
    let arrivals = 0;
    const shifting: ActivityPages = {
      page: async (skip, take) => {
        list.splice(skip % 7, 0, wrapperOf(`sx${arrivals++}`, 25)); // a new process before the offset
        return pages.page(skip, take);
      },
      total: pages.total,
    };
    const read = new Map<string, number>();
    const yielded = await walked(shifting, { pageSize: 3, maxPasses: 4, read });
    expect(new Set(yielded).size).toBe(yielded.length);
    expect(keysOf(60).every((key) => yielded.includes(key))).toBe(true);
    expect(read.size).toBe(yielded.length);
    expect(read.size).toBeLessThanOrEqual(list.length); // processes, not their 25 entries each
  });

  it('stops at /total without asking for an empty page', async () => {
    const { calls, pages } = scripted(keysOf(8));
    expect(await walked(pages)).toEqual(keysOf(8));
    expect(calls).toEqual(['total', 'page 0', 'page 4', 'total']);
  });

  it('finds processes added before the offset read by re-reading from the first page, only as far as needed', async () => {
    // newest first: two processes arrive at the front after the first page was read
    const { calls, pages } = scripted(keysOf(20), {
      1: (list) => list.unshift(wrapperOf('new1'), wrapperOf('new0')),
    });
    const yielded = await walked(pages, { pageSize: 5 });
    expect(yielded.sort()).toEqual([...keysOf(20), 'new0', 'new1'].sort());
    // pass 1 to the end: at offset 20 /total says 22, so the two pushed past it are read too; then one
    // page of pass 2 finds the newcomers, verified by /total
    expect(calls).toEqual([
      'total',
      'page 0',
      'page 5',
      'page 10',
      'page 15',
      'total',
      'page 20',
      'total',
      'page 0',
      'total',
    ]);
  });

  it('re-reads a whole pass when records may leave the set (StatusFilter), finding one that slid back', async () => {
    const edits = { 1: (list: TaktikalProcess[]) => void list.splice(1, 1) }; // sp1 completes: no longer Active
    const strict = scripted(keysOf(8), edits);
    const yielded = await walked(strict.pages, { growOnly: false });
    expect(yielded.sort()).toEqual(keysOf(8).sort()); // sp4 slid to offset 3 after page 1 and was read again
    expect(strict.calls).toEqual(['total', 'page 0', 'page 4', 'total', 'page 0', 'page 4', 'total']);
    // counting alone would have taken the walk for complete and lost sp4
    const counted = scripted(keysOf(8), edits);
    expect(await walked(counted.pages, { growOnly: true })).not.toContain('sp4');
  });

  it('stops waiting when Retry-After is longer than allowed', async () => {
    const sim = await startTaktikalSimulator({
      stories,
      faults: [{ route: 'total', fault: { kind: 'rate-limit', retryAfterSeconds: 120 } }],
    });
    try {
      const error = await rejection(collect(adapterFor(sim, { maxRetryAfterMs: 1000 }).listActivity(WINDOW)));
      expect(error).toBeInstanceOf(VendorRateLimitError);
      expect((error as VendorRateLimitError).retryAfterMs).toBe(120_000);
    } finally {
      await sim.close();
    }
  });
});
