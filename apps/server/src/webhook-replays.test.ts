// Replays are told by the store, not by one process's memory: the same Taktikal deliveries sent again to the
// server that took them, and to a second instance on the same database (a restart, or another machine),
// are answered 200 as duplicates, stored once, and re-read nothing. Real simulator, real databases, 127.0.0.1.
import {
  renderTaktikalWebhooks,
  startTaktikalSimulator,
  storyOptions,
  type TaktikalSimulator,
} from '@signtrail/adapter-taktikal/sandbox';
import { generateStories, type RenderedWebhook } from '@signtrail/sandbox';
import { openStore, type Store } from '@signtrail/store';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionAdapters } from './connection-adapters.js';
import { createServer, type SignTrailServer } from './create-server.js';
import { Metrics } from './metrics.js';
import { connectSimulators } from './simulator-connections.js';
import {
  announceSkippedPostgres,
  createLocation,
  drivers,
  type TestLocation,
} from './test-support/databases.js';
import { defaultSources } from './vendor-sources.js';
import { startWebhookWorker } from './webhook-worker.js';

announceSkippedPostgres();

const stories = generateStories({ ...storyOptions, seed: 23, processes: 4, vendor: 'taktikal' });
const logger = pino({ level: 'silent' });

/** The receiver's answer to one delivery. */
interface Answer {
  status: number;
  body: { accepted?: boolean; delivery?: string; duplicate?: boolean };
}

/** Posts each rendered delivery to `url` in order, as Taktikal would, and keeps each JSON answer. */
async function post(url: string, deliveries: readonly RenderedWebhook[]): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (const delivery of deliveries) {
    const response = await fetch(url, { method: 'POST', headers: delivery.headers, body: delivery.body });
    answers.push({ status: response.status, body: (await response.json()) as Answer['body'] });
  }
  return answers;
}

describe.each(drivers)('webhook replays on %s', (driver) => {
  let location: TestLocation;
  let simulator: TaktikalSimulator;
  /** Per instance: PGlite shares one store object, PostgreSQL gets a second store (own pool) on one database. */
  const stores: Store[] = [];
  const servers: SignTrailServer[] = [];
  const urls: string[] = [];
  let deliveries: RenderedWebhook[];
  let webhookPath: string;

  const replaysCounted = async (instance: number) => {
    const text = await (await fetch(`${urls[instance]}/metrics`)).text();
    const line = text
      .split('\n')
      .find((l) => l.startsWith('signtrail_webhook_replays_total{vendor="taktikal"} '));
    return Number(line?.split(' ')[1] ?? 0);
  };
  /** Processes the whole inbox once, as a worker of any instance would. */
  const processInbox = async () => {
    const worker = startWebhookWorker({
      store: stores[0]!,
      adapters: connectionAdapters(defaultSources),
      metrics: new Metrics(),
      logger,
      pollMs: 60_000,
      leaseMs: 60_000,
      enabled: true,
      maxAttempts: 1,
    });
    await worker.drain();
    await worker.stop();
  };

  beforeAll(async () => {
    location = await createLocation(driver);
    stores.push(await openStore(location.options));
    stores.push(driver === 'pglite' ? stores[0]! : await openStore(location.options));
    simulator = await startTaktikalSimulator({ stories });
    const [connection] = await connectSimulators(stores[0]!, 'acme', [simulator], {
      retries: 1,
      backoffMs: 1,
    });
    webhookPath = `/v1/webhooks/taktikal/${connection!.connectionId}`;
    // Receive only: the inbox is processed by the test, so its rows can be counted before that.
    for (const store of stores) {
      const server = createServer({ store, logger, processWebhooks: false });
      servers.push(server);
      urls.push((await server.start()).url);
    }
    // Rendered once, so every send below carries the same signed bodies (same Guids).
    const { webhookSecret, companyKey } = simulator.credentials;
    deliveries = stories.flatMap((story) => renderTaktikalWebhooks(story, webhookSecret!, { companyKey }));
  });

  afterAll(async () => {
    for (const server of servers) await server.stop();
    await simulator?.close();
    for (const store of new Set(stores)) await store.close();
    await location?.drop();
  });

  it('stores each Guid once: replays to the same server and to a second instance answer 200 as duplicates', async () => {
    const guids = new Set(deliveries.map((delivery) => JSON.parse(delivery.body!).EventSignature.Guid));
    expect(guids.size).toBe(deliveries.length);

    const first = await post(`${urls[0]}${webhookPath}`, deliveries);
    expect(first.map((answer) => answer.status)).toEqual(deliveries.map(() => 200));
    expect(first.every((answer) => answer.body.accepted && answer.body.duplicate === undefined)).toBe(true);
    const ids = first.map((answer) => answer.body.delivery);
    expect(new Set(ids).size).toBe(deliveries.length);
    expect(await stores[0]!.pendingWebhooks()).toBe(deliveries.length);

    // The same server again: its adapter remembers the Guids; the store says where each one is.
    const again = await post(`${urls[0]}${webhookPath}`, deliveries);
    expect(again).toEqual(
      ids.map((delivery) => ({ status: 200, body: { accepted: true, delivery, duplicate: true } })),
    );
    expect(await stores[0]!.pendingWebhooks()).toBe(deliveries.length);

    const reads = simulator.hits('activity');
    await processInbox();
    expect(await stores[0]!.pendingWebhooks()).toBe(0);
    // One re-read per delivery (the process it names), none for the replays.
    expect(simulator.hits('activity') - reads).toBe(deliveries.length);
    for (const story of stories) {
      expect((await stores[1]!.getProcess('acme', 'taktikal', story.processId))?.events).toHaveLength(
        story.events.length,
      );
    }

    // A second instance never saw these Guids: only the store can tell they are replays.
    const elsewhere = await post(`${urls[1]}${webhookPath}`, deliveries);
    expect(elsewhere).toEqual(
      ids.map((delivery) => ({ status: 200, body: { accepted: true, delivery, duplicate: true } })),
    );
    expect(await stores[1]!.pendingWebhooks()).toBe(0);
    await processInbox();
    expect(simulator.hits('activity') - reads).toBe(deliveries.length);
    expect([await replaysCounted(0), await replaysCounted(1)]).toEqual([
      deliveries.length,
      deliveries.length,
    ]);
  });
});
