// Sync from each real vendor adapter against its loopback simulator, with faults on the wire: the store must
// hold exactly the story set (nothing lost, nothing twice), and a second sync over the same window adds nothing.
import { createSigninghubAdapter } from '@signtrail/adapter-signinghub';
import {
  signinghubProjection,
  storyOptions as signinghubStoryOptions,
  startSigninghubSimulator,
} from '@signtrail/adapter-signinghub/sandbox';
import { createTaktikalAdapter } from '@signtrail/adapter-taktikal';
import {
  startTaktikalSimulator,
  taktikalDetails,
  storyOptions as taktikalStoryOptions,
} from '@signtrail/adapter-taktikal/sandbox';
import { createZapsignAdapter } from '@signtrail/adapter-zapsign';
import {
  signerIdsAsEmails,
  startZapsignSimulator,
  storyOptions as zapsignStoryOptions,
} from '@signtrail/adapter-zapsign/sandbox';
import { type AuditSource, canonicalJson, type NormalizedEvent } from '@signtrail/core';
import { storyProjection } from '@signtrail/core/testing';
import { type Fault, type FaultRule, generateStories, type VendorSimulator } from '@signtrail/sandbox';
import { describe, expect, it } from 'vitest';
import { type Store, sync } from './index.js';
import { announceSkippedPostgres, drivers, useStore } from './test-support/databases.js';

announceSkippedPostgres();

const FROM = '2023-06-01T00:00:00Z';
// Before "now": SigningHub's `shift` inserts packages dated now, which no story set holds.
const TO = '2025-01-01T00:00:00Z';
const WHOLE_WINDOW = Date.parse(TO) - Date.parse(FROM);
const HTTP = { timeoutMs: 500, retries: 6, backoffMs: 1 };

const SHIFT: Fault = { kind: 'shift', count: 3 };
const WIRE_FAULTS: Fault[] = [
  { kind: 'status', status: 503 },
  { kind: 'rate-limit', retryAfterSeconds: 0 },
  { kind: 'truncate' },
  { kind: 'reset' },
];

/** Pages shift under the first request, then one wire fault every other request (counted over all routes). */
const faults: FaultRule[] = [
  { fault: SHIFT, hits: [1] },
  ...WIRE_FAULTS.map((fault, n) => ({ fault, hits: [2 + 2 * n] })),
];

/** One vendor running against its simulator: the adapter, and the events it must deliver, projected its way. */
interface VendorRun {
  simulator: VendorSimulator;
  source: AuditSource;
  /** Sorted projections of the events the store must hold (read after the sync: shifts add stories). */
  expected(): string[];
  project(event: NormalizedEvent): string;
}

const taktikalStories = generateStories({ ...taktikalStoryOptions, seed: 61, processes: 14 });
const signinghubStories = generateStories({ ...signinghubStoryOptions, seed: 62, processes: 10 });
const zapsignStories = generateStories({ ...zapsignStoryOptions, seed: 63, processes: 12 });
const zapsignLate = generateStories({
  ...zapsignStoryOptions,
  seed: 64,
  processes: 3,
  start: '2024-06-01T00:00:00Z',
  processIdPrefix: 'late',
});

const sortedForms = (events: readonly NormalizedEvent[], project: (event: NormalizedEvent) => string) =>
  events.map(project).sort();

const vendors: Record<string, (faults: FaultRule[]) => Promise<VendorRun>> = {
  async taktikal(faults) {
    const simulator = await startTaktikalSimulator({ stories: taktikalStories, faults });
    const details = taktikalDetails('current');
    const project = (event: NormalizedEvent) =>
      canonicalJson({ ...storyProjection(event), ...details(event) });
    return {
      simulator,
      source: createTaktikalAdapter({
        baseUrl: simulator.baseUrl,
        companyKey: simulator.credentials.companyKey!,
        apiKey: simulator.credentials.apiKey!,
        pageSize: 4,
        ...HTTP,
      }),
      expected: () =>
        sortedForms(
          simulator.stories.flatMap((story) => story.events),
          project,
        ),
      project,
    };
  },
  async signinghub(faults) {
    // Tokens die after 150 ms although SigningHub announces a day: the walk renews them mid-way.
    const simulator = await startSigninghubSimulator({
      stories: signinghubStories,
      faults: [...faults, { route: 'log', fault: { kind: 'latency', ms: 25 } }],
      tokenLifetimeMs: 150,
    });
    const projection = signinghubProjection(signinghubStories);
    const project = (event: NormalizedEvent) => canonicalJson(projection(event));
    return {
      simulator,
      source: createSigninghubAdapter({
        baseUrl: simulator.baseUrl,
        clientId: simulator.credentials.clientId!,
        clientSecret: simulator.credentials.clientSecret!,
        username: simulator.credentials.username!,
        password: simulator.credentials.password!,
        pageSize: 5,
        ...HTTP,
      }),
      expected: () =>
        sortedForms(
          signinghubStories.flatMap((story) => story.events),
          project,
        ),
      project,
    };
  },
  async zapsign(faults) {
    const simulator = await startZapsignSimulator({
      stories: zapsignStories,
      lateStories: zapsignLate,
      pageSize: 4,
      faults,
    });
    const emails = signerIdsAsEmails([...zapsignStories, ...zapsignLate]);
    const project = (event: NormalizedEvent) => canonicalJson(storyProjection(emails(event)));
    // One shift of 3 reveals all three late documents, created while the sync walks.
    const served = [...zapsignStories, ...zapsignLate];
    return {
      simulator,
      source: createZapsignAdapter({
        baseUrl: simulator.baseUrl,
        apiToken: simulator.credentials.apiToken!,
        minIntervalMs: 0,
        ...HTTP,
      }),
      expected: () =>
        sortedForms(
          served.flatMap((story) => story.events),
          project,
        ),
      project,
    };
  },
};

async function storedEvents(store: Store, tenant: string): Promise<NormalizedEvent[]> {
  const found: NormalizedEvent[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await store.queryEvents({ tenant, limit: 1000, offset });
    found.push(...page.events);
    if (!page.nextCursor) return found;
  }
}

describe.each(drivers)('sync from the vendor simulators on %s', (driver) => {
  const context = useStore(driver);

  it.each(Object.keys(vendors))(
    '%s under shifting pages, 503, 429, truncated bodies and resets: exactly the story set',
    async (vendor) => {
      const { store } = context;
      const run = await vendors[vendor]!(faults);
      try {
        const tenant = `sim-${vendor}`;
        const first = await sync({ store, tenant, source: run.source, from: FROM, to: TO, batchSize: 20 });
        if (first.skipped) throw new Error('skipped');
        const faulted = new Set(run.simulator.requests.flatMap((request) => request.faults));
        for (const fault of [SHIFT, ...WIRE_FAULTS]) expect(faulted).toContain(fault.kind);
        const expected = run.expected();
        expect(first.inserted).toBe(expected.length);
        expect(first.conflicts).toBe(0);
        const stored = await storedEvents(store, tenant);
        expect(new Set(stored.map((event) => event.id)).size).toBe(stored.length); // nothing twice
        expect(sortedForms(stored, run.project)).toEqual(expected); // nothing lost, nothing extra

        const rerun = await sync({ store, tenant, source: run.source, to: TO, overlapMs: WHOLE_WINDOW });
        expect(rerun).toMatchObject({ skipped: false, inserted: 0, duplicates: expected.length });
        expect(await store.countEvents({ tenant })).toBe(expected.length);
        if (vendor === 'signinghub') {
          const refused = run.simulator.requests.filter((request) => request.status === 401);
          expect(refused.length).toBeGreaterThan(0); // the token did expire mid-walk
        }
      } finally {
        await run.simulator.close();
      }
    },
  );
});
