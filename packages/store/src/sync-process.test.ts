// Sync in real child processes on the BUILT package: killed with SIGKILL mid-walk, and two at once.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { canonicalJson, type NormalizedEvent } from '@signtrail/core';
import { generateStories, type StoryOptions } from '@signtrail/sandbox';
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryProcessOf, storySource } from '../test-support/story-source.mjs';
import { openStore, type Store, type SyncProgress, type SyncResult, sync } from './index.js';
import {
  announceSkippedPostgres,
  createLocation,
  drivers,
  type TestLocation,
} from './test-support/databases.js';

announceSkippedPostgres();

const CHILD = fileURLToPath(new URL('../test-support/sync-child.mjs', import.meta.url));
const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const TENANT = 'crash';

type ChildLine = { progress: SyncProgress } | { result: SyncResult };

/** A sync child process and the lines it printed so far. */
class SyncChild {
  readonly lines: ChildLine[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly process: ChildProcess;
  private readonly waiters: (() => void)[] = [];

  constructor(location: TestLocation, stories: StoryOptions, delayMs: number) {
    const config = { ...location.options, tenant: TENANT, stories, delayMs, batchSize: 25, overlapMs: 0 };
    this.process = spawn(process.execPath, [CHILD, JSON.stringify(config)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    createInterface({ input: this.process.stdout! }).on('line', (line) => {
      this.lines.push(JSON.parse(line) as ChildLine);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.exited = new Promise((resolve) => {
      this.process.on('exit', (code, signal) => {
        for (const wake of this.waiters.splice(0)) wake();
        resolve({ code, signal });
      });
    });
  }

  /** Resolves once `count` lines match, or rejects when the child ends first. */
  async waitFor(match: (line: ChildLine) => boolean, count = 1): Promise<void> {
    while (this.lines.filter(match).length < count) {
      if (this.process.exitCode !== null || this.process.signalCode !== null) {
        throw new Error(`child ended before the awaited line; it printed ${JSON.stringify(this.lines)}`);
      }
      await new Promise<void>((wake) => this.waiters.push(wake));
    }
  }

  kill(): void {
    this.process.kill('SIGKILL');
  }

  result(): SyncResult | undefined {
    const last = this.lines.find((line): line is { result: SyncResult } => 'result' in line);
    return last?.result;
  }
}

const isBatch = (line: ChildLine) => 'progress' in line && line.progress.phase === 'batch';
const isStart = (line: ChildLine) => 'progress' in line && line.progress.phase === 'start';

function groundTruthOf(options: StoryOptions): string[] {
  const stories = generateStories(options);
  const events = storySource(stories).normalize({ processes: stories.map(memoryProcessOf) }).events;
  return events.map((event: NormalizedEvent) => canonicalJson(event)).sort();
}

async function storedForms(store: Store): Promise<string[]> {
  const page = await store.queryEvents({ tenant: TENANT, limit: 1000 });
  expect(page.nextCursor).toBeUndefined();
  return page.events.map((event) => canonicalJson(event)).sort();
}

describe.each(drivers)('sync processes on %s', (driver) => {
  beforeAll(() => {
    if (!existsSync(DIST))
      throw new Error('dist/ is missing: run `pnpm --filter @signtrail/store build` first');
  });

  it('recovers exactly the story set after SIGKILLs mid-sync', async () => {
    const stories: StoryOptions = { seed: 41, processes: 30 };
    const truth = groundTruthOf(stories);
    const location = await createLocation(driver);
    try {
      // Kill points: right after the walk starts (possibly inside the first transaction) and after some
      // committed batches (PGlite boots slowly: one kill there).
      const killAfter = driver === 'postgres' ? [0, 3] : [2];
      for (const batches of killAfter) {
        const child = new SyncChild(location, stories, 8);
        if (batches === 0) await child.waitFor(isStart);
        else await child.waitFor(isBatch, batches);
        child.kill();
        expect(await child.exited).toMatchObject({ signal: 'SIGKILL' });
        expect(child.result()).toBeUndefined();
      }

      const store = await openStore(location.options);
      try {
        const partial = (await storedForms(store)).length;
        expect(partial).toBeGreaterThan(0);
        expect(partial).toBeLessThan(truth.length);
        expect((await store.getSyncState(TENANT, 'memory'))?.cursor).toBeUndefined();

        const source = storySource(generateStories(stories));
        const rerun = await sync({ store, tenant: TENANT, source });
        expect(rerun).toMatchObject({ skipped: false, resumed: true, inserted: truth.length - partial });
        expect(await storedForms(store)).toEqual(truth);
      } finally {
        await store.close();
      }
    } finally {
      await location.drop();
    }
  });

  it.runIf(driver === 'postgres')('lets only one of two concurrent sync processes work', async () => {
    const stories: StoryOptions = { seed: 42, processes: 60 };
    const truth = groundTruthOf(stories);
    const location = await createLocation(driver);
    try {
      const first = new SyncChild(location, stories, 60);
      await first.waitFor(isStart);
      const second = new SyncChild(location, stories, 60);
      const [firstExit, secondExit] = await Promise.all([first.exited, second.exited]);
      expect([firstExit.code, secondExit.code]).toEqual([0, 0]);
      expect(second.result()).toEqual({
        skipped: true,
        reason: `another sync of tenant ${TENANT}, vendor memory is running`,
      });
      expect(first.result()).toMatchObject({ skipped: false, inserted: truth.length, duplicates: 0 });

      const store = await openStore(location.options);
      try {
        expect(await storedForms(store)).toEqual(truth);
        expect(await store.countEvents({ tenant: TENANT })).toBe(truth.length);
      } finally {
        await store.close();
      }
    } finally {
      await location.drop();
    }
  });
});
