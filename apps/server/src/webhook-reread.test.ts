// A webhook that only triggers a re-read (Taktikal, SigningHub) is lost if its failed re-read is: the worker
// retries it after the lease while the vendor fails (5xx), records a permanent failure (404) once, and gives
// up after its attempts with the error kept. Real simulators with faults, real databases, 127.0.0.1.
import { startTaktikalSimulator, storyOptions as taktikalOptions } from '@signtrail/adapter-taktikal/sandbox';
import {
  signerIdsAsEmails,
  startZapsignSimulator,
  storyOptions as zapsignOptions,
} from '@signtrail/adapter-zapsign/sandbox';
import { canonicalJson, fold, type NormalizedEvent } from '@signtrail/core';
import { storyProjection } from '@signtrail/core/testing';
import { type FaultRule, generateStories, type Story, type VendorSimulator } from '@signtrail/sandbox';
import { type InboxOutcome, openStore, type Store } from '@signtrail/store';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type ServerOptions, type SignTrailServer } from './create-server.js';
import { connectSimulators } from './simulator-connections.js';
import {
  announceSkippedPostgres,
  createLocation,
  type Driver,
  drivers,
  type TestLocation,
} from './test-support/databases.js';

announceSkippedPostgres();

const taktikalStories = generateStories({ ...taktikalOptions, seed: 5, processes: 4, vendor: 'taktikal' });
const zapsignStories = generateStories({ ...zapsignOptions, seed: 11, processes: 2, vendor: 'zapsign' });
// Processes the Taktikal simulator does not serve: their webhooks verify, their re-reads find nothing.
const unknownStories = generateStories({
  ...taktikalOptions,
  seed: 6,
  processes: 1,
  vendor: 'taktikal',
  processIdPrefix: 'gone',
});
const UNAVAILABLE: FaultRule[] = [{ route: 'activity', fault: { kind: 'status', status: 503 } }];
/** Generous: the worker is on its own between leases; latency belongs in bench/. */
const DEADLINE_MS = 30_000;

type Sender = VendorSimulator & {
  sendWebhooks(url: string, options?: { stories?: Story[] }): Promise<Array<{ status: number }>>;
};

/** A server over a new store whose inbox outcomes are observed, with Taktikal and ZapSign simulators. */
async function startScenario(driver: Driver, options: Partial<ServerOptions>) {
  const location: TestLocation = await createLocation(driver);
  const store = await openStore(location.options);
  const taktikal = await startTaktikalSimulator({ stories: taktikalStories });
  const zapsign = await startZapsignSimulator({ stories: zapsignStories });
  const connections = await connectSimulators(store, 'acme', [taktikal, zapsign], {
    retries: 1,
    backoffMs: 1,
  });
  const outcomes: InboxOutcome[] = [];
  // The real store; only how each delivery ended is noted, as the store offers no listing of the inbox.
  const observed: Store = {
    ...store,
    async finishWebhook(id, outcome) {
      outcomes.push(outcome);
      await store.finishWebhook(id, outcome);
    },
  };
  const server: SignTrailServer = createServer({
    store: observed,
    logger: pino({ level: 'silent' }),
    webhookPollMs: 20,
    ...options,
  });
  const { url } = await server.start();
  const webhookUrl = (vendor: string) =>
    `${url}/v1/webhooks/${vendor}/${connections.find((c) => c.vendor === vendor)!.connectionId}`;
  /** Sends `stories`' webhooks; every delivery must be answered 200 (Taktikal retries anything else). */
  const send = async (simulator: Sender, stories: Story[]) => {
    const deliveries = await simulator.sendWebhooks(webhookUrl(simulator.vendor), { stories });
    expect(deliveries.length).toBeGreaterThan(0);
    expect(deliveries.map((delivery) => delivery.status)).toEqual(deliveries.map(() => 200));
    return deliveries.length;
  };
  /** Waits until the worker, on its own, has finished every delivery. */
  const settled = async () => {
    const started = Date.now();
    while ((await store.pendingWebhooks()) > 0 && Date.now() - started < DEADLINE_MS) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await store.pendingWebhooks()).toBe(0);
  };
  const metric = async (series: string) => {
    const text = await (await fetch(`${url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return Number(line?.split(' ')[1] ?? 0);
  };
  return {
    store,
    server,
    taktikal,
    zapsign,
    outcomes,
    send,
    settled,
    metric,
    async close() {
      await server.stop();
      await taktikal.close();
      await zapsign.close();
      await store.close();
      await location.drop();
    },
  };
}

type Scenario = Awaited<ReturnType<typeof startScenario>>;

/** The default timeline (each happening once) in a comparable form. */
const timeline = (events: NormalizedEvent[], project: (event: NormalizedEvent) => unknown) =>
  events.filter((event) => event.confirmedBy === undefined).map((event) => canonicalJson(project(event)));

describe.each(drivers)('webhook re-reads on %s', (driver) => {
  let scenario: Scenario;
  // Long enough that no retry runs between a test's first pass and its lifting of the fault.
  beforeAll(async () => {
    scenario = await startScenario(driver, { webhookLeaseMs: 1000 });
  });
  afterAll(async () => {
    await scenario?.close();
  });

  it('retries a re-read failing with 503 after the lease: the process appears with its events', async () => {
    const { store, taktikal, outcomes } = scenario;
    const story = taktikalStories[0]!;
    taktikal.setFaults(UNAVAILABLE);
    const before = outcomes.length;
    const sent = await scenario.send(taktikal, [story]);
    await scenario.server.context.worker.drain();
    expect(await store.getProcess('acme', 'taktikal', story.processId)).toBeUndefined();
    expect(await store.pendingWebhooks()).toBe(sent);
    expect(outcomes.slice(before)).toEqual(
      Array.from({ length: sent }, () =>
        expect.objectContaining({ status: 'failed', error: 'vendor_response' }),
      ),
    );
    expect(
      await scenario.metric('signtrail_vendor_errors_total{code="vendor_response",vendor="taktikal"}'),
    ).toBe(sent);

    taktikal.setFaults([]);
    await scenario.settled();
    const found = await store.getProcess('acme', 'taktikal', story.processId);
    expect(timeline(found!.events, storyProjection)).toEqual(
      story.events.map((event) => canonicalJson(storyProjection(event))),
    );
    expect(found!.process.status).toBe(fold(story.events).status);
    expect(outcomes.slice(before + sent)).toEqual(
      Array.from({ length: sent }, () => ({ status: 'processed', events: 0 })),
    );
  });

  it("stores a retried delivery's own events once (ingest is idempotent)", async () => {
    const { store, zapsign } = scenario;
    const story = zapsignStories[0]!;
    const project = (event: NormalizedEvent) => storyProjection(signerIdsAsEmails(zapsignStories)(event));
    const webhookEvents = async () =>
      (await store.getProcess('acme', 'zapsign', story.processId))?.events.filter(
        (event) => event.origin === 'webhook',
      ) ?? [];
    zapsign.setFaults([{ route: 'signer-log', fault: { kind: 'status', status: 503 } }]);
    await scenario.send(zapsign, [story]);
    await scenario.server.context.worker.drain();
    expect(await store.pendingWebhooks()).toBeGreaterThan(0);
    const firstPass = await webhookEvents();
    expect(firstPass.length).toBeGreaterThan(0);

    zapsign.setFaults([]);
    await scenario.settled();
    expect((await webhookEvents()).map((event) => event.id).sort()).toEqual(
      firstPass.map((event) => event.id).sort(),
    );
    const found = await store.getProcess('acme', 'zapsign', story.processId);
    expect(timeline(found!.events, project)).toEqual(
      story.events.map((event) => canonicalJson(project(event))),
    );
    expect(found!.process.status).toBe(fold(story.events).status);
  });

  it('records a process the vendor does not know (404) once, without retrying', async () => {
    const { store, taktikal, outcomes } = scenario;
    const before = outcomes.length;
    const reads = taktikal.hits('activity');
    const sent = await scenario.send(taktikal, unknownStories);
    await scenario.server.context.worker.drain();
    expect(await store.pendingWebhooks()).toBe(0);
    expect(outcomes.slice(before)).toEqual(
      Array.from({ length: sent }, () => ({ status: 'processed', events: 0, error: 'vendor_not_found' })),
    );
    expect(taktikal.hits('activity') - reads).toBe(sent);
    expect(
      await scenario.metric('signtrail_vendor_errors_total{code="vendor_not_found",vendor="taktikal"}'),
    ).toBe(sent);
    expect(await store.getProcess('acme', 'taktikal', unknownStories[0]!.processId)).toBeUndefined();
  });

  it('reads a process named several times in one delivery once', async () => {
    const { store, taktikal, outcomes } = scenario;
    const story = taktikalStories[1]!;
    const before = outcomes.length;
    const reads = taktikal.hits('activity');
    const connectionId = (await store.connectionId('acme', 'taktikal'))!;
    await store.enqueueWebhook({
      tenant: 'acme',
      vendor: 'taktikal',
      connectionId,
      request: { method: 'POST', body: '{}' },
      result: { events: [], warnings: [], reread: [story.processId, story.processId, story.processId] },
    });
    await scenario.server.context.worker.drain();
    expect(taktikal.hits('activity') - reads).toBe(1);
    expect(outcomes.slice(before)).toEqual([{ status: 'processed', events: 0 }]);
    expect((await store.getProcess('acme', 'taktikal', story.processId))?.events).toHaveLength(
      story.events.length,
    );
  });
});

describe.each(drivers)('webhook events while re-reads wait on %s', (driver) => {
  let scenario: Scenario;
  beforeAll(async () => {
    scenario = await startScenario(driver, {});
  });
  afterAll(async () => {
    await scenario?.close();
  });

  it("shows a delivery's own events at once, while an earlier delivery's re-read waits on its vendor", async () => {
    const { store, taktikal, zapsign } = scenario;
    // Taktikal answers the first re-read after 1.5 s: the worker is busy with it when ZapSign's deliveries land.
    taktikal.setFaults([{ route: 'activity', fault: { kind: 'latency', ms: 1500 }, times: 1 }]);
    await scenario.send(taktikal, [taktikalStories[3]!]);
    const story = zapsignStories[1]!;
    const sentAt = Date.now();
    await scenario.send(zapsign, [story]);
    let shown = await store.getProcess('acme', 'zapsign', story.processId);
    while (!shown?.events.length && Date.now() - sentAt < DEADLINE_MS) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      shown = await store.getProcess('acme', 'zapsign', story.processId);
    }
    expect(shown?.events.length).toBeGreaterThan(0);
    expect(Date.now() - sentAt).toBeLessThan(1000);
    await scenario.settled();
    expect(await store.getProcess('acme', 'taktikal', taktikalStories[3]!.processId)).toBeDefined();
  });
});

describe.each(drivers)('webhook re-reads that keep failing on %s', (driver) => {
  let scenario: Scenario;
  beforeAll(async () => {
    scenario = await startScenario(driver, { webhookLeaseMs: 50, webhookRereadAttempts: 3 });
  });
  afterAll(async () => {
    await scenario?.close();
  });

  it('gives up after the attempts, keeps the error and counts it', async () => {
    const { store, taktikal, outcomes } = scenario;
    const story = taktikalStories[2]!;
    taktikal.setFaults(UNAVAILABLE);
    const sent = await scenario.send(taktikal, [story]);
    await scenario.settled();
    const final = outcomes.filter((outcome) => outcome.status !== 'failed');
    expect(final).toEqual(
      Array.from({ length: sent }, () => ({ status: 'processed', events: 0, error: 'reread_gave_up' })),
    );
    // Three claims each, every one a first try and one retry of the client.
    expect(outcomes).toHaveLength(3 * sent);
    expect(taktikal.hits('activity')).toBe(3 * sent * 2);
    expect(await scenario.metric('signtrail_webhook_rereads_given_up_total{vendor="taktikal"}')).toBe(sent);
    expect(await store.getProcess('acme', 'taktikal', story.processId)).toBeUndefined();
  });
});
