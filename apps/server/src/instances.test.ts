// Several server instances on one PostgreSQL database serve the same data and never sync a connection twice at
// once: of two syncs of one (tenant, vendor) started together, the store's advisory lock lets one walk and the
// other skip. The walking one is held at its start until the other has answered, so the two always overlap.
import type { VendorSimulator } from '@signtrail/sandbox';
import { openStore, type Store, sync } from '@signtrail/store';
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
import {
  startVendorSimulators,
  VENDORS,
  type Vendor,
  vendorStories,
} from './test-support/vendor-simulators.js';
import { defaultSources, type SourceFactory } from './vendor-sources.js';

announceSkippedPostgres();

const TENANT = 'acme';
const WINDOW = 'from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z';
const HTTP = { retries: 1, backoffMs: 1 };
const storiesOf = vendorStories(31, 5);
/** Ground truth: every story event is one vendor record, to be stored once. */
const truth = (vendor: Vendor) => storiesOf[vendor].reduce((sum, story) => sum + story.events.length, 0);

/** A gate per vendor: opened once, by the first of the two instances to answer (or a second walk). */
function gates(): { wait(vendor: string): Promise<void>; open(vendor: string): void } {
  const opened = new Map<string, () => void>();
  const waiting = new Map<string, Promise<void>>(
    VENDORS.map((vendor) => [vendor, new Promise<void>((resolve) => opened.set(vendor, resolve))]),
  );
  return {
    wait: (vendor) => waiting.get(vendor) ?? Promise.resolve(),
    open: (vendor) => opened.get(vendor)?.(),
  };
}

/** The simulators' requests as `METHOD route path`, sorted: what one walk (or two) asked each vendor. */
function requestsSince(simulators: readonly VendorSimulator[], marks: readonly number[]): string[][] {
  return simulators.map((simulator, n) =>
    simulator.requests
      .slice(marks[n])
      .map((request) => `${request.method} ${request.route} ${request.path}`)
      .sort(),
  );
}

describe.skipIf(!postgresUrl)('two server instances on one PostgreSQL database', () => {
  let location: TestLocation;
  let reference: TestLocation;
  let simulators: VendorSimulator[];
  const stores: Store[] = [];
  const servers: SignTrailServer[] = [];
  const urls: string[] = [];
  let key: string;
  const walks: Array<{ instance: number; vendor: string }> = [];
  const gate = gates();

  /** Instance `instance`'s adapters: the built-in ones, each walk recorded and held at its start by the gate. */
  const gatedSources =
    (instance: number): SourceFactory =>
    async (connection) => {
      const source = await defaultSources(connection);
      return {
        ...source,
        async *listActivity(query) {
          walks.push({ instance, vendor: source.vendor });
          // Two walks of one vendor: the lock failed; let both run so the assertions say so.
          if (walks.filter((walk) => walk.vendor === source.vendor).length > 1) gate.open(source.vendor);
          await gate.wait(source.vendor);
          yield* source.listActivity(query);
        },
      };
    };

  const call = (instance: number, path: string, init: RequestInit = {}) =>
    fetch(`${urls[instance]}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...init.headers },
    });

  beforeAll(async () => {
    simulators = await startVendorSimulators(storiesOf);
    location = await createLocation('postgres');
    for (const instance of [0, 1]) {
      const store = await openStore(location.options);
      stores.push(store);
      servers.push(
        createServer({ store, sources: gatedSources(instance), logger: pino({ level: 'silent' }) }),
      );
    }
    await connectSimulators(stores[0]!, TENANT, simulators, HTTP);
    key = (await stores[0]!.createApiKey({ tenant: TENANT })).key;
    for (const server of servers) urls.push((await server.start()).url);
    reference = await createLocation('postgres');
  });

  afterAll(async () => {
    for (const server of servers) await server.stop();
    for (const store of stores) await store.close();
    for (const simulator of simulators ?? []) await simulator.close();
    await location?.drop();
    await reference?.drop();
  });

  it('syncs each vendor once when both instances are asked at the same moment', async () => {
    // What one walk asks of each vendor: a lone sync of the same connections into another database.
    const lone = await openStore(reference.options);
    const before = simulators.map((simulator) => simulator.requests.length);
    try {
      await connectSimulators(lone, TENANT, simulators, HTTP);
      for (const vendor of VENDORS) {
        const connection = await lone.getConnection(TENANT, vendor);
        const result = await sync({ store: lone, tenant: TENANT, source: await defaultSources(connection!) });
        expect(result).toMatchObject({ skipped: false, inserted: truth(vendor) });
      }
    } finally {
      await lone.close();
    }
    const oneWalk = requestsSince(simulators, before);

    const marks = simulators.map((simulator) => simulator.requests.length);
    const answers = await Promise.all(
      VENDORS.flatMap((vendor) =>
        [0, 1].map(async (instance) => {
          const response = await call(instance, '/v1/sync', {
            method: 'POST',
            body: JSON.stringify({ vendor, wait: true }),
          });
          gate.open(vendor); // the first answer is the skip: the walk may go on
          expect(response.status).toBe(200);
          const { runs } = (await response.json()) as {
            runs: Array<{ skipped: boolean; inserted?: number }>;
          };
          return { vendor, instance, run: runs[0] };
        }),
      ),
    );

    for (const vendor of VENDORS) {
      const runs = answers.filter((answer) => answer.vendor === vendor).map((answer) => answer.run);
      expect(
        runs.filter((run) => run?.skipped === true),
        vendor,
      ).toHaveLength(1);
      expect(
        runs.filter((run) => run?.skipped === false),
        vendor,
      ).toEqual([expect.objectContaining({ inserted: truth(vendor) })]);
      expect(
        walks.filter((walk) => walk.vendor === vendor),
        vendor,
      ).toHaveLength(1);
      expect(await stores[1]!.countEvents({ tenant: TENANT, vendor }), vendor).toBe(truth(vendor));
      expect(await stores[0]!.getSyncState(TENANT, vendor), vendor).toMatchObject({
        walk: { events: truth(vendor), complete: true },
      });
    }
    // Every request of the round is one a single walk makes: no listing page or process log was read twice.
    expect(requestsSince(simulators, marks)).toEqual(oneWalk);

    // Each instance's own bookkeeping: per vendor, one of the two ran and the other skipped.
    const outcomes = await Promise.all(
      [0, 1].map(async (instance) => {
        const status = (await (await call(instance, '/v1/sync/status')).json()) as {
          connections: Array<{ vendor: string; lastRun?: { lastOutcome?: string } }>;
        };
        return new Map(status.connections.map((c) => [c.vendor, c.lastRun?.lastOutcome]));
      }),
    );
    for (const vendor of VENDORS) {
      expect(outcomes.map((outcome) => outcome.get(vendor)).sort(), vendor).toEqual(['ok', 'skipped']);
    }
  });

  it('serves the same event pages from both instances', async () => {
    const total = VENDORS.reduce((sum, vendor) => sum + truth(vendor), 0);
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const path = `/v1/events?${WINDOW}&limit=25${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const [first, second] = await Promise.all([0, 1].map(async (i) => (await call(i, path)).json()));
      expect(second).toEqual(first);
      const page = first as { events: Array<{ id: string }>; nextCursor?: string };
      ids.push(...page.events.map((event) => event.id));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total); // each record stored, and served, once
    const totals = await Promise.all(
      [0, 1].map(async (i) => (await call(i, `/v1/events/total?${WINDOW}`)).json()),
    );
    expect(totals).toEqual([{ total }, { total }]);
    const offsetPages = await Promise.all(
      [0, 1].map(async (i) => (await call(i, `/v1/events?${WINDOW}&limit=25&offset=25`)).json()),
    );
    expect(offsetPages[1]).toEqual(offsetPages[0]);
  });
});
