// Scheduled background sync with two server instances on one PostgreSQL database: their timers are not aligned
// (the second starts half an interval after the first), yet each connection is walked once per interval, not
// once per instance. The store's lock only keeps two walks from overlapping; the scheduler has to see that
// another instance walked the connection within the interval.
import { setTimeout as sleep } from 'node:timers/promises';
import type { VendorSimulator } from '@signtrail/sandbox';
import { openStore, type Store } from '@signtrail/store';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type SignTrailServer } from './create-server.js';
import { connectSimulators } from './simulator-connections.js';
import {
  announceSkippedPostgres,
  createLocation,
  postgresUrl,
  type TestLocation,
} from './test-support/databases.js';
import { startVendorSimulators, vendorStories } from './test-support/vendor-simulators.js';
import { defaultSources, type SourceFactory } from './vendor-sources.js';

announceSkippedPostgres();

const TENANT = 'acme';
const INTERVAL_MS = 500;
/** How long both instances run together: six intervals. */
const RUN_MS = 6 * INTERVAL_MS;

describe.skipIf(!postgresUrl)('scheduled sync with two instances on one PostgreSQL database', () => {
  let location: TestLocation;
  let simulators: VendorSimulator[];
  const stores: Store[] = [];
  const servers: SignTrailServer[] = [];
  const walks: Array<{ instance: number; vendor: string; at: number }> = [];

  /** The built-in adapters, each walk (a `listActivity` call) recorded with its instance and time. */
  const recordingSources =
    (instance: number): SourceFactory =>
    async (connection) => {
      const source = await defaultSources(connection);
      return {
        ...source,
        listActivity(query) {
          walks.push({ instance, vendor: source.vendor, at: performance.now() });
          return source.listActivity(query);
        },
      };
    };

  beforeAll(async () => {
    simulators = await startVendorSimulators(vendorStories(61, 2));
    location = await createLocation('postgres');
    for (const _ of [0, 1]) stores.push(await openStore(location.options));
    // No pause between ZapSign calls (its published rate cap): the simulator has none.
    await connectSimulators(
      stores[0]!,
      TENANT,
      simulators,
      { retries: 1, backoffMs: 1 },
      { zapsign: { minIntervalMs: 0 } },
    );
  });

  afterAll(async () => {
    for (const server of servers) await server.stop();
    for (const store of stores) await store.close();
    for (const simulator of simulators ?? []) await simulator.close();
    await location?.drop();
  });

  it('walks each connection once per interval, not once per instance', async () => {
    const started = performance.now();
    for (const instance of [0, 1]) {
      if (instance === 1) await sleep(INTERVAL_MS / 2);
      servers.push(
        createServer({
          store: stores[instance]!,
          sources: recordingSources(instance),
          logger: pino({ level: 'silent' }),
          syncIntervalMs: INTERVAL_MS,
          processWebhooks: false,
        }),
      );
    }
    await sleep(RUN_MS);
    for (const server of servers) await server.stop();
    const elapsed = performance.now() - started;

    const intervals = Math.floor(elapsed / INTERVAL_MS);
    for (const { vendor } of simulators) {
      const times = walks.filter((walk) => walk.vendor === vendor).map((walk) => walk.at);
      // One walk per interval: two instances walking each would make about twice as many. The lower bound only
      // says the scheduler runs at all (a loaded machine may delay ticks; the upper bound and gaps are the test).
      expect(times.length, vendor).toBeGreaterThanOrEqual(2);
      expect(times.length, vendor).toBeLessThanOrEqual(intervals + 1);
      const gaps = times.slice(1).map((at, n) => at - times[n]!);
      expect(
        Math.min(...gaps),
        `${vendor} walks ${gaps.map(Math.round).join(', ')} ms apart`,
      ).toBeGreaterThan(INTERVAL_MS / 2);
      const state = await stores[1]!.getSyncState(TENANT, vendor);
      expect(state?.walk?.complete, vendor).toBe(true);
    }
  });
});
