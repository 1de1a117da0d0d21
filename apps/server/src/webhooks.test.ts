import { startZapsignSimulator, storyOptions } from '@signtrail/adapter-zapsign/sandbox';
import { generateStories } from '@signtrail/sandbox';
import type { Store } from '@signtrail/store';
import { openStore } from '@signtrail/store';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type SignTrailServer } from './create-server.js';
import { connectSimulators, type SimulatorConnection } from './simulator-connections.js';
import {
  announceSkippedPostgres,
  createLocation,
  drivers,
  type TestLocation,
} from './test-support/databases.js';

announceSkippedPostgres();

const stories = generateStories({ ...storyOptions, seed: 11, processes: 4, vendor: 'zapsign' });

describe.each(drivers)('webhooks and sync on %s', (driver) => {
  let location: TestLocation;
  let store: Store;
  let server: SignTrailServer;
  let url: string;
  let key: string;
  let simulator: Awaited<ReturnType<typeof startZapsignSimulator>>;
  let connection: SimulatorConnection;
  const webhookUrl = () => `${url}/v1/webhooks/zapsign/${connection.connectionId}`;
  const count = () => store.countEvents({ tenant: 'acme', vendor: 'zapsign' });
  const rejections = async () => {
    const text = await (await fetch(`${url}/metrics`)).text();
    const line = text
      .split('\n')
      .find((l) =>
        l.startsWith('signtrail_webhook_rejections_total{reason="verification",vendor="zapsign"}'),
      );
    return Number(line?.split(' ')[1] ?? 0);
  };

  beforeAll(async () => {
    location = await createLocation(driver);
    store = await openStore(location.options);
    simulator = await startZapsignSimulator({ stories });
    [connection] = (await connectSimulators(store, 'acme', [simulator], { retries: 1, backoffMs: 1 })) as [
      SimulatorConnection,
    ];
    key = (await store.createApiKey({ tenant: 'acme' })).key;
    server = createServer({ store, logger: pino({ level: 'silent' }), webhookPollMs: 50 });
    ({ url } = await server.start());
  });

  afterAll(async () => {
    await server?.stop();
    await simulator?.close();
    await store?.close();
    await location?.drop();
  });

  it('rejects a wrong secret with 401, stores nothing and counts the rejection', async () => {
    const before = await rejections();
    const response = await fetch(webhookUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-zapsign-secret': 'wrong-secret' },
      body: JSON.stringify({ event_type: 'doc_signed', token: stories[0]!.processId }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ type: 'https://signtrail.dev/problems/webhook-rejected' });
    expect(await store.pendingWebhooks()).toBe(0);
    await server.context.worker.drain();
    expect(await count()).toBe(0);
    expect(await rejections()).toBe(before + 1);
  });

  it('says what is wrong with a verified delivery it cannot read, naming the path, never a value', async () => {
    const before = await count();
    const response = await fetch(webhookUrl(), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-zapsign-secret': connection.credentials.webhookSecret!,
      },
      body: JSON.stringify({ event_type: 'doc_signed', name: 'jon@example.com' }),
    });
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { parameter?: string; detail: string };
    expect(problem).toMatchObject({
      type: 'https://signtrail.dev/problems/invalid-request',
      parameter: 'body',
    });
    expect(problem.detail).toMatch(/^the delivery could not be read: at \$\.token expected /);
    expect(problem.detail).not.toContain('example.com');
    await server.context.worker.drain();
    expect(await count()).toBe(before);
  });

  it('answers 404 for an unknown connection or a connection of another vendor', async () => {
    expect((await fetch(`${url}/v1/webhooks/zapsign/nope`, { method: 'POST', body: '{}' })).status).toBe(404);
    const other = await fetch(`${url}/v1/webhooks/taktikal/${connection.connectionId}`, {
      method: 'POST',
      body: '{}',
    });
    expect(other.status).toBe(404);
  });

  // Latency is a benchmark matter; here the bound is generous so a loaded CI machine does not flake.
  it('stores webhook deliveries once, replays included, and shows them without a sync', async () => {
    const deliveries = await simulator.sendWebhooks(webhookUrl());
    expect(deliveries.length).toBeGreaterThan(0);
    expect(deliveries.every((d) => d.status === 200)).toBe(true);
    // Processed by the worker on its own (no drain, no sync): poll for at most 20 s.
    const acknowledged = Date.now();
    let stored = 0;
    do {
      stored = await store.countEvents({ tenant: 'acme', vendor: 'zapsign', from: '2000-01-01T00:00:00Z' });
      if (stored > 0 && (await store.pendingWebhooks()) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    } while (Date.now() - acknowledged < 20_000);
    expect(await store.pendingWebhooks()).toBe(0);
    expect(stored).toBeGreaterThan(0);
    await server.context.worker.drain(); // the re-reads of the log that the deliveries triggered
    const webhookEvents = await store.countEvents({ tenant: 'acme', vendor: 'zapsign' });
    // The same deliveries again: every one accepted, nothing new stored.
    expect((await simulator.sendWebhooks(webhookUrl())).every((d) => d.status === 200)).toBe(true);
    await server.context.worker.drain();
    expect(await store.countEvents({ tenant: 'acme', vendor: 'zapsign' })).toBe(webhookEvents);
    expect(await store.pendingWebhooks()).toBe(0);
  });

  it('lists the tenant its received deliveries on /v1/inbox, without bodies, and nobody else', async () => {
    const inbox = async (query: string, bearer = key) =>
      (await (
        await fetch(`${url}/v1/inbox?${query}`, { headers: { authorization: `Bearer ${bearer}` } })
      ).json()) as {
        deliveries: {
          id: string;
          status: string;
          vendor: string;
          connectionId: string;
          receivedAt: string;
        }[];
      };
    const { deliveries } = await inbox('limit=1000');
    expect(deliveries.length).toBeGreaterThan(0);
    expect(
      deliveries.every((d) => d.vendor === 'zapsign' && d.connectionId === connection.connectionId),
    ).toBe(true);
    expect(deliveries.map((d) => Number(d.id))).toEqual(
      deliveries.map((d) => Number(d.id)).sort((a, b) => b - a),
    );
    expect(JSON.stringify(deliveries)).not.toMatch(/signer_log|@|body|result/);
    expect((await inbox('status=processed&limit=1000')).deliveries).toHaveLength(
      deliveries.filter((d) => d.status === 'processed').length,
    );
    const other = (await store.createApiKey({ tenant: 'globex' })).key;
    expect((await inbox('limit=10', other)).deliveries).toEqual([]);
    const bad = await fetch(`${url}/v1/inbox?status=lost`, { headers: { authorization: `Bearer ${key}` } });
    expect(bad.status).toBe(400);
    expect((await fetch(`${url}/v1/inbox`)).status).toBe(401);
  });

  it("verifies with a connection's current secret: its receiver is rebuilt on every change", async () => {
    const save = (webhookSecret: string) =>
      store.saveConnection({
        tenant: 'acme',
        vendor: 'zapsign',
        settings: { baseUrl: simulator.baseUrl, retries: 1, backoffMs: 1 },
        credentials: { ...connection.credentials, webhookSecret },
      });
    const statuses = async () =>
      new Set((await simulator.sendWebhooks(webhookUrl(), { stories: [stories[0]!] })).map((d) => d.status));
    await save('a-rotated-secret');
    expect(await statuses()).toEqual(new Set([401]));
    await save(connection.credentials.webhookSecret!);
    expect(await statuses()).toEqual(new Set([200]));
    await server.context.worker.drain();
    expect(await store.pendingWebhooks()).toBe(0);
  });

  it('syncs on request, reports status, and the final states equal the stories', async () => {
    const response = await fetch(`${url}/v1/sync`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ wait: true }),
    });
    expect(response.status).toBe(200);
    const { runs } = (await response.json()) as {
      runs: Array<{ vendor: string; skipped: boolean; processes: number }>;
    };
    expect(runs).toEqual([
      expect.objectContaining({ vendor: 'zapsign', skipped: false, processes: stories.length }),
    ]);
    const status = (await (
      await fetch(`${url}/v1/sync/status`, { headers: { authorization: `Bearer ${key}` } })
    ).json()) as {
      connections: Array<{ vendor: string; cursor?: string; running: boolean }>;
    };
    expect(status.connections).toEqual([
      expect.objectContaining({ vendor: 'zapsign', running: false, cursor: expect.any(String) }),
    ]);
    for (const story of stories) {
      const found = await store.getProcess('acme', 'zapsign', story.processId);
      expect(found?.process.status, story.processId).toBe(story.outcome);
    }
    const unknown = await fetch(`${url}/v1/sync`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ vendor: 'taktikal' }),
    });
    expect(unknown.status).toBe(404);
  });
});
