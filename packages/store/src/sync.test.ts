import {
  type AuditSource,
  canonicalJson,
  InvalidOptionsError,
  type NormalizedEvent,
  type ProcessLog,
} from '@signtrail/core';
import { storyProjection } from '@signtrail/core/testing';
import { generateStories } from '@signtrail/sandbox';
import { describe, expect, it } from 'vitest';
import { memoryProcessOf, storySource } from '../test-support/story-source.mjs';
import { type Store, type SyncProgress, sync } from './index.js';
import { announceSkippedPostgres, drivers, useStore } from './test-support/databases.js';

announceSkippedPostgres();

const stories = generateStories({ seed: 31, processes: 30 });
const groundTruth = storySource(stories).normalize({ processes: stories.map(memoryProcessOf) }).events;
const TO = '2024-06-01T00:00:00.000000Z';
const WHOLE_HISTORY = 365 * 86_400_000;

async function storedEvents(store: Store, tenant: string): Promise<NormalizedEvent[]> {
  const found: NormalizedEvent[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await store.queryEvents({ tenant, limit: 1000, offset });
    found.push(...page.events);
    if (!page.nextCursor) return found;
  }
}

function forms(events: readonly NormalizedEvent[]): string[] {
  return events.map((event) => canonicalJson(event)).sort();
}

/** The source with its processes in reverse time order, failing after `failAfter` of them when given. */
function reversedSource(failAfter?: number): AuditSource {
  const source = storySource(stories);
  return {
    ...source,
    async *listActivity(query) {
      const logs: ProcessLog[] = [];
      for await (const log of source.listActivity(query)) logs.push(log);
      let yielded = 0;
      for (const log of logs.reverse()) {
        if (yielded === failAfter) throw new Error('vendor went away');
        yielded += 1;
        yield log;
      }
    },
  };
}

describe.each(drivers)('sync on %s', (driver) => {
  const context = useStore(driver);

  it('stores exactly the story set, and a rerun over the same window adds nothing', async () => {
    const { store } = context;
    const first = await sync({ store, tenant: 'full', source: storySource(stories), to: TO, batchSize: 50 });
    expect(first).toMatchObject({
      skipped: false,
      resumed: false,
      inserted: groundTruth.length,
      conflicts: 0,
    });
    const stored = await storedEvents(store, 'full');
    expect(forms(stored)).toEqual(forms(groundTruth));
    const project = (list: readonly NormalizedEvent[]) =>
      list.map((e) => canonicalJson(storyProjection(e))).sort();
    expect(project(stored)).toEqual(project(stories.flatMap((s) => s.events)));
    expect(await store.getSyncState('full', 'memory')).toMatchObject({
      cursor: TO,
      walk: {
        from: '1970-01-01T00:00:00.000000Z',
        to: TO,
        processes: stories.length,
        events: groundTruth.length,
        complete: true,
      },
    });
    expect((await store.listProcesses({ tenant: 'full', limit: 1 })).total).toBe(stories.length);
    const unmapped = stories.filter((s) => s.events.some((e) => e.type === 'other')).length;
    expect(unmapped).toBeGreaterThan(0);
    expect((await store.listWarnings({ tenant: 'full' })).length).toBe(unmapped);

    const rerun = await sync({
      store,
      tenant: 'full',
      source: storySource(stories),
      to: TO,
      overlapMs: WHOLE_HISTORY,
    });
    expect(rerun).toMatchObject({ skipped: false, inserted: 0, duplicates: groundTruth.length, refolded: 0 });
    expect(forms(await storedEvents(store, 'full'))).toEqual(forms(groundTruth));
  });

  it('walks on from the cursor minus the overlap', async () => {
    const { store } = context;
    const middle = groundTruth.map((e) => e.occurredAt).sort()[Math.floor(groundTruth.length / 2)]!;
    await sync({ store, tenant: 'incremental', source: storySource(stories), to: middle });
    const before = groundTruth.filter((e) => e.occurredAt < middle);
    expect(forms(await storedEvents(store, 'incremental'))).toEqual(forms(before));

    const second = await sync({ store, tenant: 'incremental', source: storySource(stories), to: TO });
    if (second.skipped) throw new Error('skipped');
    expect(second.from).toBe(new Date(Date.parse(middle) - 3_600_000).toISOString().replace('Z', '000Z'));
    expect(second.inserted).toBe(groundTruth.length - before.length);
    expect(forms(await storedEvents(store, 'incremental'))).toEqual(forms(groundTruth));
  });

  it('reports progress after every committed batch', async () => {
    const { store } = context;
    const reports: SyncProgress[] = [];
    const result = await sync({
      store,
      tenant: 'progress',
      source: storySource(stories),
      to: TO,
      batchSize: 100,
      total: { events: groundTruth.length },
      onProgress: (progress) => reports.push(progress),
    });
    expect(reports[0]).toMatchObject({ phase: 'start', events: 0, total: { events: groundTruth.length } });
    expect(reports.at(-1)).toMatchObject({
      phase: 'done',
      events: groundTruth.length,
      processes: stories.length,
    });
    expect(reports.slice(1, -1).every((r) => r.phase === 'batch')).toBe(true);
    expect(reports.length).toBeGreaterThan(5);
    for (let i = 1; i < reports.length; i += 1) {
      expect(reports[i]!.events).toBeGreaterThanOrEqual(reports[i - 1]!.events);
      expect(reports[i]!.batches).toBe(i);
    }
    expect(reports.at(-1)!.eventsPerSecond).toBeGreaterThan(0);
    expect(result).toMatchObject({ batches: reports.length - 1, inserted: groundTruth.length });
  });

  it('keeps the cursor when a walk fails half-way (processes out of time order) and recovers on rerun', async () => {
    const { store } = context;
    const failing = sync({ store, tenant: 'failing', source: reversedSource(15), to: TO, batchSize: 40 });
    await expect(failing).rejects.toThrow('vendor went away');
    const partial = await store.countEvents({ tenant: 'failing' });
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(groundTruth.length);
    const state = await store.getSyncState('failing', 'memory');
    expect(state?.cursor).toBeUndefined();
    expect(state?.walk).toMatchObject({ to: TO, complete: false });

    const rerun = await sync({ store, tenant: 'failing', source: reversedSource(), to: TO, batchSize: 40 });
    expect(rerun).toMatchObject({ skipped: false, resumed: true, inserted: groundTruth.length - partial });
    expect(forms(await storedEvents(store, 'failing'))).toEqual(forms(groundTruth));
    expect((await store.getSyncState('failing', 'memory'))?.cursor).toBe(TO);
  });

  it('stops at an abort without moving the cursor', async () => {
    const { store } = context;
    const controller = new AbortController();
    const aborted = sync({
      store,
      tenant: 'abort',
      source: storySource(stories),
      to: TO,
      batchSize: 30,
      signal: controller.signal,
      onProgress: (progress) => {
        if (progress.phase === 'batch') controller.abort();
      },
    });
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    expect((await store.getSyncState('abort', 'memory'))?.cursor).toBeUndefined();
    await sync({ store, tenant: 'abort', source: storySource(stories), to: TO });
    expect(forms(await storedEvents(store, 'abort'))).toEqual(forms(groundTruth));
  });

  it('runs one sync per tenant and vendor at a time: the second skips, or waits when asked', async () => {
    const { store } = context;
    const options = { store, tenant: 'race', source: storySource(stories), to: TO, batchSize: 100 };
    const results = await Promise.all([sync(options), sync(options)]);
    expect(results.filter((r) => r.skipped)).toEqual([
      { skipped: true, reason: 'another sync of tenant race, vendor memory is running' },
    ]);
    expect(results.find((r) => !r.skipped)).toMatchObject({ inserted: groundTruth.length });

    const waited = await Promise.all([
      sync({ ...options, tenant: 'queue', wait: true }),
      sync({ ...options, tenant: 'queue', wait: true, overlapMs: WHOLE_HISTORY }),
    ]);
    expect(waited.map((r) => (r.skipped ? 'skipped' : r.inserted)).sort()).toEqual([0, groundTruth.length]);
    expect(forms(await storedEvents(store, 'queue'))).toEqual(forms(groundTruth));
    // Another tenant is not held up by the lock of this one.
    const other = await sync({ ...options, tenant: 'race-2' });
    expect(other.skipped).toBe(false);
  });

  it('skips a walk when the last complete one reached within skipIfWalkedWithinMs of its end, under the lock', async () => {
    const { store } = context;
    const options = { store, tenant: 'interval', source: storySource(stories), skipIfWalkedWithinMs: 60_000 };
    const first = await sync({ ...options, to: TO });
    expect(first.skipped).toBe(false);
    // Two instances whose timers fire together: one walks; the other, waiting for the lock, then skips.
    const later = new Date(Date.parse(TO) + 30_000);
    const both = await Promise.all([
      sync({ ...options, to: later, wait: true }),
      sync({ ...options, to: later, wait: true }),
    ]);
    expect(both.map((r) => r.skipped)).toEqual([true, true]);
    expect(both[0]).toEqual({ skipped: true, reason: 'walked 30 s ago' });
    // Past the interval, or without the option, the walk runs.
    expect((await sync({ ...options, to: new Date(Date.parse(TO) + 61_000) })).skipped).toBe(false);
    const soonAfter = new Date(Date.parse(TO) + 62_000);
    expect((await sync({ ...options, skipIfWalkedWithinMs: 0, to: soonAfter })).skipped).toBe(false);
    // Past the interval, two instances at once: the one that waited for the lock sees the other's walk.
    const next = new Date(Date.parse(TO) + 180_000);
    const race = await Promise.all([
      sync({ ...options, to: next, wait: true }),
      sync({ ...options, to: next, wait: true }),
    ]);
    expect(race.map((r) => r.skipped).sort()).toEqual([false, true]);
  });

  it('rejects bad options with typed errors naming the option', async () => {
    const { store } = context;
    const source = storySource(stories);
    const cases: [Record<string, unknown>, string][] = [
      [{ vendor: 'zapsign' }, 'vendor'],
      [{ batchSize: 0 }, 'batchSize'],
      [{ overlapMs: -1 }, 'overlapMs'],
      [{ tenant: '' }, 'tenant'],
    ];
    for (const [bad, option] of cases) {
      const attempt = sync({ store, tenant: 't', source, ...bad });
      await expect(attempt).rejects.toBeInstanceOf(InvalidOptionsError);
      await expect(attempt).rejects.toMatchObject({ option });
    }
  });
});
