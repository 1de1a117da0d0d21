// A webhook with a wrong signature or secret is refused (401 webhook-rejected; 406 to Taktikal, which stops
// retrying on it), counted, and leaves nothing in the store, for every vendor: Taktikal (HMAC signature over
// TimeStamp + Guid) and SigningHub (a shared secret in the x-signtrail-secret header or in ?secret=); ZapSign's
// custom header is covered in webhooks.test.ts.
import {
  renderSigninghubCallbacks,
  storyOptions as signinghubStoryOptions,
  startSigninghubSimulator,
} from '@signtrail/adapter-signinghub/sandbox';
import {
  renderTaktikalWebhooks,
  startTaktikalSimulator,
  storyOptions as taktikalStoryOptions,
} from '@signtrail/adapter-taktikal/sandbox';
import { generateStories, type RenderedWebhook, sendWebhookDeliveries } from '@signtrail/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSimulators, type SimulatorConnection } from './simulator-connections.js';
import { announceSkippedPostgres, drivers } from './test-support/databases.js';
import { startTestServer, type TestServer } from './test-support/test-server.js';
import { vendorFixture } from './test-support/vendor-fixtures.js';

announceSkippedPostgres();

const taktikalStories = generateStories({
  ...taktikalStoryOptions,
  seed: 41,
  processes: 2,
  vendor: 'taktikal',
});
const signinghubStories = generateStories({
  ...signinghubStoryOptions,
  seed: 42,
  processes: 2,
  vendor: 'signinghub',
});

describe.each(drivers)('webhooks with a wrong secret on %s', (driver) => {
  let running: TestServer;
  let simulators: Array<Awaited<ReturnType<typeof startTaktikalSimulator | typeof startSigninghubSimulator>>>;
  const connections = new Map<string, SimulatorConnection>();
  const webhookUrl = (vendor: string) =>
    `${running.url}/v1/webhooks/${vendor}/${connections.get(vendor)!.connectionId}`;

  const rejections = async (vendor: string) => {
    const text = await (await fetch(`${running.url}/metrics`)).text();
    const series = `signtrail_webhook_rejections_total{reason="verification",vendor="${vendor}"} `;
    const line = text.split('\n').find((l) => l.startsWith(series));
    return Number(line?.slice(series.length) ?? 0);
  };

  /** Sends `deliveries`, expects each refused with `status` webhook-rejected, counted, and nothing stored. */
  async function expectRefused(vendor: string, deliveries: RenderedWebhook[], status = 401) {
    const before = await rejections(vendor);
    const answers: number[] = [];
    for (const delivery of deliveries) {
      const target = new URL(webhookUrl(vendor));
      for (const [name, value] of Object.entries(delivery.query ?? {}))
        target.searchParams.append(name, value);
      const response = await fetch(target, {
        method: delivery.method ?? 'POST',
        headers: delivery.headers,
        body: delivery.method === 'GET' ? undefined : delivery.body,
      });
      answers.push(response.status);
      expect(await response.json()).toMatchObject({
        type: 'https://signtrail.dev/problems/webhook-rejected',
        status,
      });
    }
    expect(answers).toEqual(deliveries.map(() => status));
    expect(await rejections(vendor)).toBe(before + deliveries.length);
    expect(await running.store.pendingWebhooks()).toBe(0);
    expect(await running.store.listInbox({ tenant: 'acme', limit: 100, offset: 0 })).toEqual([]);
    await running.server.context.worker.drain();
    expect(await running.store.countEvents({ tenant: 'acme', vendor })).toBe(0);
  }

  beforeAll(async () => {
    running = await startTestServer(driver, { webhookPollMs: 50 });
    simulators = [
      await startTaktikalSimulator({ stories: taktikalStories }),
      await startSigninghubSimulator({ stories: signinghubStories }),
    ];
    const created = await connectSimulators(running.store, 'acme', simulators, { retries: 1, backoffMs: 1 });
    for (const connection of created) connections.set(connection.vendor, connection);
  });

  afterAll(async () => {
    await running?.close();
    for (const simulator of simulators ?? []) await simulator.close();
  });

  it('refuses Taktikal deliveries signed with another key, and the documentation example', async () => {
    const { companyKey } = connections.get('taktikal')!.credentials;
    const forged = taktikalStories.flatMap((story) =>
      renderTaktikalWebhooks(story, 'not-the-webhook-secret', { companyKey: companyKey! }),
    );
    expect(forged.length).toBeGreaterThan(0);
    const documented: RenderedWebhook = {
      headers: { 'content-type': 'application/json' },
      body: vendorFixture('taktikal', 'webhook-signed-document.json'),
      eventType: '1',
      processId: 'sp231f52f87d6f4caaa2e29ecac92d055b',
    };
    // 406: the one answer that stops Taktikal retrying a delivery that can never pass.
    await expectRefused('taktikal', [...forged, documented], 406);
  });

  it('refuses SigningHub callbacks with a wrong or missing secret, in the header or in ?secret=', async () => {
    const body = vendorFixture('signinghub', 'webhook-callback.json');
    const json = { 'content-type': 'application/json' };
    const redirect = JSON.parse(vendorFixture('signinghub', 'webhook-redirect.json')) as Record<
      string,
      string
    >;
    const base = { eventType: 'COMPLETED', processId: '123' };
    const rendered = signinghubStories.flatMap((story) =>
      renderSigninghubCallbacks(story, { secret: 'not-the-webhook-secret' }),
    );
    expect(rendered.length).toBeGreaterThan(0);
    await expectRefused('signinghub', [
      ...rendered,
      { ...base, headers: { ...json, 'x-signtrail-secret': 'wrong' }, body },
      { ...base, headers: json, body, query: { secret: 'wrong' } },
      { ...base, headers: json, body },
      { ...base, method: 'GET', headers: {}, query: { ...redirect, secret: 'wrong' } },
      { ...base, method: 'GET', headers: {}, query: redirect },
    ]);
  });

  // The refusals above are the secret's doing: the same deliveries with the connection's secret are taken.
  it('accepts the same SigningHub callback with the right secret, in the header and in ?secret=', async () => {
    const { webhookSecret } = connections.get('signinghub')!.credentials;
    const [story] = signinghubStories;
    const [first] = renderSigninghubCallbacks(story!, { secret: webhookSecret! });
    const { 'x-signtrail-secret': _header, ...headers } = first!.headers;
    const answers = await sendWebhookDeliveries(webhookUrl('signinghub'), [
      first!,
      { ...first!, headers, body: `${first!.body} `, query: { secret: webhookSecret! } },
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    await running.server.context.worker.drain();
    expect(await running.store.countEvents({ tenant: 'acme', vendor: 'signinghub' })).toBeGreaterThan(0);
  });
});
