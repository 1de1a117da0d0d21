// End to end on 127.0.0.1: every vendor simulator sends its stories' real webhooks to the server, the
// timeline shows each happening once and in order without a sync, then a log sync confirms and settles it.
import { signinghubProjection } from '@signtrail/adapter-signinghub/sandbox';
import { signerIdsAsEmails } from '@signtrail/adapter-zapsign/sandbox';
import { canonicalJson, fold, type NormalizedEvent } from '@signtrail/core';
import { storyProjection } from '@signtrail/core/testing';
import type { Story, VendorSimulator, WebhookDelivery } from '@signtrail/sandbox';
import { openStore, type Store } from '@signtrail/store';
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
import { SIMULATOR_MODULES, storiesOf, type Vendor } from './test-support/vendor-simulators.js';

announceSkippedPostgres();

/** A simulator that sends webhooks (all three do). */
type Sender = VendorSimulator & {
  sendWebhooks(url: string, options?: { stories?: Story[] }): Promise<WebhookDelivery[]>;
};

/** One vendor of the run: its stories, simulator, and how a story's events look once stored. */
interface VendorCase {
  vendor: string;
  stories: Story[];
  start(stories: Story[]): Promise<Sender>;
  /** The vendor's id of a story's process (SigningHub numbers its packages). */
  processIdOf(story: Story): string;
  /** Story events and stored events alike → one comparable string. */
  project(event: NormalizedEvent): string;
}

function vendorCase(
  vendor: Vendor,
  seed: number,
  shape: (stories: Story[]) => {
    processIdOf?: (story: Story) => string;
    project: (event: NormalizedEvent) => Record<string, unknown>;
  },
): VendorCase {
  const stories = storiesOf(vendor, seed, 6);
  const { processIdOf = (story: Story) => story.processId, project } = shape(stories);
  const start = async (stories: Story[]) => (await SIMULATOR_MODULES[vendor].start({ stories })) as Sender;
  return { vendor, stories, start, processIdOf, project: (event) => canonicalJson(project(event)) };
}

// Seeds chosen so the stories cover every outcome each vendor can tell, bounces, approvals and ZapSign's
// refusal and company-cancel quirks.
const CASES: VendorCase[] = [
  vendorCase('taktikal', 1, () => ({
    project: storyProjection,
  })),
  vendorCase('signinghub', 3, (stories) => {
    const projection = signinghubProjection(stories);
    return {
      processIdOf: (story) => projection(story.events[0]!).processId as string,
      project: projection,
    };
  }),
  vendorCase('zapsign', 11, (stories) => {
    const emails = signerIdsAsEmails(stories);
    return { project: (event) => storyProjection(emails(event)) };
  }),
];

/** Generous: the worker is on its own (no drain); latency belongs in bench/, not here. */
const DEADLINE_MS = 60_000;

describe.each(drivers)('every simulator → webhooks → server → timeline on %s', (driver) => {
  let location: TestLocation;
  let store: Store;
  let server: SignTrailServer;
  let url: string;
  let key: string;
  const simulators = new Map<string, Sender>();
  const connections = new Map<string, SimulatorConnection>();

  const getProcess = async (vendor: string, processId: string, search = '') => {
    const response = await fetch(`${url}/v1/processes/${vendor}/${encodeURIComponent(processId)}${search}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    if (response.status === 404) return undefined;
    expect(response.status).toBe(200);
    return (await response.json()) as {
      process: { status: string; state: { counts: { events: number } } };
      events: NormalizedEvent[];
    };
  };
  /** The default timeline: each happening once (an event confirmed by another is that other's). */
  const timelineOf = (events: NormalizedEvent[]) => events.filter((event) => event.confirmedBy === undefined);

  beforeAll(async () => {
    location = await createLocation(driver);
    store = await openStore(location.options);
    for (const { vendor, stories, start } of CASES) simulators.set(vendor, await start(stories));
    const created = await connectSimulators(store, 'acme', [...simulators.values()], {
      retries: 1,
      backoffMs: 1,
    });
    for (const connection of created) connections.set(connection.vendor, connection);
    key = (await store.createApiKey({ tenant: 'acme' })).key;
    server = createServer({ store, logger: pino({ level: 'silent' }), webhookPollMs: 50 });
    ({ url } = await server.start());
  });

  afterAll(async () => {
    await server?.stop();
    await Promise.all([...simulators.values()].map((simulator) => simulator.close()));
    await store?.close();
    await location?.drop();
  });

  it('shows each happening once and in order from the webhooks alone (no sync)', async () => {
    for (const { vendor } of CASES) {
      const webhookUrl = `${url}/v1/webhooks/${vendor}/${connections.get(vendor)!.connectionId}`;
      const deliveries = await simulators.get(vendor)!.sendWebhooks(webhookUrl);
      expect(deliveries.length, vendor).toBeGreaterThan(0);
      expect(
        deliveries.filter((delivery) => delivery.status !== 200),
        vendor,
      ).toEqual([]);
    }
    for (const { vendor, stories, processIdOf, project } of CASES) {
      for (const story of stories) {
        const expected = story.events.map(project);
        const missing = new Set(expected);
        let timeline: string[] = [];
        const started = Date.now();
        // ZapSign's webhooks carry events; Taktikal's and SigningHub's trigger a re-read of that process.
        do {
          const found = await getProcess(vendor, processIdOf(story));
          timeline = found ? timelineOf(found.events).map(project) : [];
          for (const form of timeline) missing.delete(form);
          if (missing.size === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        } while (Date.now() - started < DEADLINE_MS);
        expect(timeline, `${vendor} ${story.processId}`).toEqual(expected);
      }
    }
    // One adapter per connection serves every re-read: SigningHub was logged in to once, not per delivery.
    expect(simulators.get('signinghub')!.hits('authenticate')).toBe(1);
  });

  it("after a log sync, every process is in its story's final state, webhook events linked, nothing counted twice", async () => {
    const response = await fetch(`${url}/v1/sync`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ wait: true }),
    });
    expect(response.status).toBe(200);
    const { runs } = (await response.json()) as { runs: Array<{ vendor: string; skipped: boolean }> };
    expect(runs.map((run) => run.vendor).sort()).toEqual(CASES.map((c) => c.vendor).sort());
    expect(runs.every((run) => !run.skipped)).toBe(true);
    let webhookEvents = 0;
    for (const { vendor, stories, processIdOf, project } of CASES) {
      for (const story of stories) {
        const label = `${vendor} ${story.processId}`;
        const found = (await getProcess(vendor, processIdOf(story)))!;
        expect(timelineOf(found.events).map(project), label).toEqual(story.events.map(project));
        // The state the story's own events fold to: its outcome, as far as the vendor's vocabulary tells it.
        expect(found.process.status, label).toBe(fold(story.events).status);
        expect(found.process.state.counts.events, label).toBe(story.events.length);
        // Asked for the timeline, the server leaves the confirmed twins out itself: what the state counts.
        const timeline = (await getProcess(vendor, processIdOf(story), '?timeline=true'))!;
        expect(timeline.events, label).toEqual(timelineOf(found.events));
        expect(timeline.events, label).toHaveLength(story.events.length);
        const ids = new Set(found.events.map((event) => event.id));
        expect(ids.size, label).toBe(found.events.length);
        for (const event of found.events.filter((e) => e.origin === 'webhook')) {
          webhookEvents += 1;
          expect(event.confirmedBy, `${label} ${event.type}`).toBeDefined();
          expect(ids.has(event.confirmedBy!), `${label} ${event.type}`).toBe(true);
        }
      }
    }
    // ZapSign's webhooks carry events, so some were stored and then confirmed by the log.
    expect(webhookEvents).toBeGreaterThan(0);
  });
});
