// What the server writes to its log and its metrics over a real run on 127.0.0.1: every vendor's webhooks,
// a sync and failing requests. Each log line is JSON with a request id where a request caused it, and none
// carries personal data (e-mail, phone, SSN, names), a credential (API key, webhook secret, vendor password)
// or webhook body text, whether from the simulators' stories or from the vendors' documentation examples.
import type { Story, VendorSimulator, WebhookDelivery } from '@signtrail/sandbox';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSimulators, type SimulatorConnection } from './simulator-connections.js';
import { announceSkippedPostgres, drivers } from './test-support/databases.js';
import { startTestServer, type TestServer } from './test-support/test-server.js';
import { vendorFixture } from './test-support/vendor-fixtures.js';
import {
  startVendorSimulators,
  VENDORS,
  type Vendor,
  vendorStories,
} from './test-support/vendor-simulators.js';

announceSkippedPostgres();

const FIXTURES = {
  taktikal: vendorFixture('taktikal', 'webhook-signed-document.json'),
  signinghub: vendorFixture('signinghub', 'webhook-callback.json'),
  signinghubRedirect: vendorFixture('signinghub', 'webhook-redirect.json'),
  zapsign: vendorFixture('zapsign', 'webhook-doc-signed.json'),
};

type Sender = VendorSimulator & {
  sendWebhooks(url: string, options?: { stories?: Story[] }): Promise<WebhookDelivery[]>;
};

const STORIES = vendorStories(51, 3);

/** Every string of a JSON value that is a leaf (the values, not the member names). */
function leaves(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'number') return [String(value)];
  if (Array.isArray(value)) return value.flatMap(leaves);
  if (value && typeof value === 'object') return Object.values(value).flatMap(leaves);
  return [];
}

// Member values of the documentation examples that are personal data or body text (not ids, flags or enums).
const FIXTURE_SECRETS = [
  ...leaves(JSON.parse(FIXTURES.taktikal).EventData.Signees),
  JSON.parse(FIXTURES.taktikal).EventData.SignedDocument,
  JSON.parse(FIXTURES.taktikal).EventData.FlowName,
  ...['package_name', 'package_owner', 'owner_name'].map((name) => JSON.parse(FIXTURES.signinghub)[name]),
  JSON.parse(FIXTURES.signinghubRedirect).user_email,
  ...JSON.parse(FIXTURES.zapsign).signers.flatMap((signer: Record<string, unknown>) =>
    [signer.name, signer.email, signer.phone_number, signer.cpf].filter((v) => typeof v === 'string' && v),
  ),
].filter(
  (value): value is string => typeof value === 'string' && value.length >= 6 && !/^\d{1,4}$/.test(value),
);

const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/;
const SSN = /\b\d{6}-\d{4}\b/;
const PHONE = /\+\d{7,}/;

describe.each(drivers)('logs and metrics of a run on %s', (driver) => {
  const lines: string[] = [];
  let running: TestServer;
  let key: string;
  const simulators = new Map<Vendor, Sender>();
  const connections = new Map<string, SimulatorConnection>();
  const requestIds: string[] = [];
  const webhookUrl = (vendor: string) =>
    `${running.url}/v1/webhooks/${vendor}/${connections.get(vendor)!.connectionId}`;

  /** Fetches from the server and keeps the request id it answered with. */
  async function call(path: string, init: RequestInit = {}): Promise<Response> {
    const response = await fetch(path.startsWith('http') ? path : `${running.url}${path}`, init);
    const id = response.headers.get('x-request-id');
    expect(id, path).toBeTruthy();
    requestIds.push(id!);
    return response;
  }
  const authorized = (extra: Record<string, string> = {}) => ({ authorization: `Bearer ${key}`, ...extra });

  async function metric(series: string): Promise<number | undefined> {
    const text = await (await fetch(`${running.url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  }
  const ingested = async (vendor: string) =>
    ((await metric(`signtrail_events_ingested_total{origin="log",vendor="${vendor}"}`)) ?? 0) +
    ((await metric(`signtrail_events_ingested_total{origin="webhook",vendor="${vendor}"}`)) ?? 0);
  const stored = (vendor: string) =>
    running.store.countEvents({ tenant: 'acme', vendor, from: '2000-01-01T00:00:00Z' });

  beforeAll(async () => {
    const capture = { write: (line: string) => void lines.push(line) };
    running = await startTestServer(driver, { logger: pino({ level: 'trace' }, capture), webhookPollMs: 50 });
    // All three simulators send webhooks.
    const started = (await startVendorSimulators(STORIES)) as Sender[];
    for (const [n, vendor] of VENDORS.entries()) simulators.set(vendor, started[n]!);
    // No pause between ZapSign calls (its published rate cap): the simulator has none, and the re-reads add up.
    const created = await connectSimulators(
      running.store,
      'acme',
      [...simulators.values()],
      { retries: 1, backoffMs: 1 },
      { zapsign: { minIntervalMs: 0 } },
    );
    for (const connection of created) connections.set(connection.vendor, connection);
    ({ key } = await running.store.createApiKey({ tenant: 'acme' }));
  });

  afterAll(async () => {
    await running?.close();
    for (const simulator of simulators.values()) await simulator.close();
  });

  it("counts every vendor's webhooks and the events they store", async () => {
    for (const vendor of VENDORS) {
      const deliveries = await simulators.get(vendor)!.sendWebhooks(webhookUrl(vendor));
      expect(deliveries.length, vendor).toBeGreaterThan(0);
      expect(new Set(deliveries.map((delivery) => delivery.status)), vendor).toEqual(new Set([200]));
      const received = (await metric(`signtrail_webhooks_received_total{vendor="${vendor}"}`)) ?? 0;
      const replays = (await metric(`signtrail_webhook_replays_total{vendor="${vendor}"}`)) ?? 0;
      // Each accepted delivery is committed once, or is a replay of one committed before (ZapSign resends).
      expect(received + replays, vendor).toBe(deliveries.length);
      const inbox = await running.store.listInbox({ tenant: 'acme', limit: 1000, offset: 0 });
      expect(
        inbox.filter((entry) => entry.vendor === vendor),
        vendor,
      ).toHaveLength(received);
    }
    await running.server.context.worker.drain();
    for (const vendor of VENDORS) {
      // Webhook events and the logs they triggered re-reads of: each stored event counted once.
      expect(await stored(vendor), vendor).toBeGreaterThan(0);
      expect(await ingested(vendor), vendor).toBe(await stored(vendor));
    }
  });

  it('sets the sync lag of each connection once a sync moved its cursor, and counts what it stored', async () => {
    for (const vendor of VENDORS) {
      expect(
        await metric(`signtrail_sync_lag_seconds{tenant="acme",vendor="${vendor}"}`),
        vendor,
      ).toBeUndefined();
    }
    const response = await call('/v1/sync', {
      method: 'POST',
      headers: authorized({ 'content-type': 'application/json' }),
      body: JSON.stringify({ wait: true }),
    });
    expect(response.status).toBe(200);
    for (const vendor of VENDORS) {
      const lag = await metric(`signtrail_sync_lag_seconds{tenant="acme",vendor="${vendor}"}`);
      // The cursor is the walk's end, the moment the sync began: seconds ago, not more.
      expect(lag, vendor).toBeGreaterThanOrEqual(0);
      expect(lag, vendor).toBeLessThan(60);
      expect(await ingested(vendor), vendor).toBe(await stored(vendor));
    }
  });

  it('counts requests without a valid API key', async () => {
    const before = (await metric('signtrail_auth_failures_total')) ?? 0;
    expect((await call('/v1/sync/status')).status).toBe(401);
    expect((await call('/v1/sync/status', { headers: { authorization: 'Bearer st_x_wrong' } })).status).toBe(
      401,
    );
    expect((await call('/v1/sync/status', { headers: authorized() })).status).toBe(200);
    expect(await metric('signtrail_auth_failures_total')).toBe(before + 2);
  });

  it('answers failing requests without logging what they carried', async () => {
    const json = { 'content-type': 'application/json' };
    const refused = [
      // Wrong signatures and secrets, with the documentation examples as bodies.
      await call(webhookUrl('taktikal'), { method: 'POST', headers: json, body: FIXTURES.taktikal }),
      await call(`${webhookUrl('signinghub')}?secret=wrong-secret`, {
        method: 'POST',
        headers: json,
        body: FIXTURES.signinghub,
      }),
      await call(
        `${webhookUrl('signinghub')}?${new URLSearchParams(JSON.parse(FIXTURES.signinghubRedirect)).toString()}`,
      ),
      await call(webhookUrl('zapsign'), {
        method: 'POST',
        headers: { ...json, 'x-zapsign-secret': 'wrong-secret' },
        body: FIXTURES.zapsign,
      }),
    ];
    // Taktikal is answered 406, which stops its retries; the others 401.
    expect(refused.map((response) => response.status)).toEqual([406, 401, 401, 401]);
    // A delivery that passes the secret check but cannot be read.
    const secret = connections.get('zapsign')!.credentials.webhookSecret!;
    const unreadable = await call(webhookUrl('zapsign'), {
      method: 'POST',
      headers: { ...json, 'x-zapsign-secret': secret },
      body: FIXTURES.zapsign.slice(0, 200),
    });
    expect(unreadable.status).toBe(400);
    // An e-mail address where the vendor belongs: neither a metric label nor a log field.
    const vendorPath = await call('/v1/webhooks/jane.doe%40example.com/x', { method: 'POST', body: '{}' });
    expect(vendorPath.status).toBe(404);
    const malformed = await call('/v1/sync', { method: 'POST', headers: authorized(json), body: '{bad' });
    expect(malformed.status).toBe(400);
    // An unexpected failure whose message quotes personal data: logged by class and code only.
    const { store } = running;
    const getProcess = store.getProcess;
    store.getProcess = async () => {
      throw new Error('lookup failed for jane.doe@example.com, SSN 010190-1234');
    };
    let failed: Response;
    try {
      failed = await call('/v1/processes/zapsign/some-process', { headers: authorized() });
    } finally {
      store.getProcess = getProcess;
    }
    expect(failed.status).toBe(500);
    expect(await failed.json()).toMatchObject({ type: 'https://signtrail.dev/problems/internal' });

    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const failure = records.filter((record) => record.msg === 'request failed');
    expect(failure).toEqual([
      expect.objectContaining({
        requestId: failed.headers.get('x-request-id'),
        err: { name: 'Error', code: 'internal' },
      }),
    ]);
    const rejected = records.filter((record) => record.msg === 'webhook rejected');
    expect(rejected.map((record) => record.vendor).sort()).toEqual(
      // The unreadable ZapSign delivery is rejected too (reason: its error code).
      ['signinghub', 'signinghub', 'taktikal', 'unknown', 'zapsign', 'zapsign'].sort(),
    );
    expect(
      await metric('signtrail_webhook_rejections_total{reason="unsupported_vendor",vendor="unknown"}'),
    ).toBe(1);
    expect(
      await metric('signtrail_webhook_rejections_total{reason="verification",vendor="signinghub"}'),
    ).toBe(2);
  });

  it('wrote JSON lines, each with the request id of the request that caused it, and nothing sensitive', async () => {
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.length).toBeGreaterThan(50);
    const byRequest = new Set([
      'request',
      'request failed',
      'webhook rejected',
      'webhook unreadable',
      'webhook replay',
    ]);
    for (const record of records.filter((r) => byRequest.has(r.msg as string))) {
      expect(record.requestId, JSON.stringify(record)).toEqual(expect.any(String));
    }
    // The background worker's lines name the delivery instead.
    for (const record of records.filter((r) => r.msg === 'webhook processed')) {
      expect(record.delivery, JSON.stringify(record)).toEqual(expect.any(String));
    }
    // Every request made here was logged under the id it was answered with.
    const logged = new Set(records.filter((r) => r.msg === 'request').map((r) => r.requestId));
    expect(requestIds.filter((id) => !logged.has(id))).toEqual([]);

    const stories = Object.values(STORIES).flat();
    const credentials = [...connections.values()].flatMap((connection) =>
      Object.values(connection.credentials),
    );
    const simulatorSecrets = [...simulators.values()].flatMap((simulator) => [
      ...Object.values(simulator.credentials),
      ...Object.values(simulator.env ?? {}),
    ]);
    const sensitive = [
      key,
      ...credentials,
      ...simulatorSecrets.filter((value) => !value.startsWith('http')),
      ...stories.flatMap((story) => [
        story.owner.email,
        story.owner.name,
        story.fileName,
        ...story.signers.flatMap((signer) => [signer.email, signer.name, signer.phone, signer.ssn]),
      ]),
      ...FIXTURE_SECRETS,
      'jane.doe',
      'wrong-secret',
    ];
    const text = lines.join('');
    expect(sensitive.filter((value) => text.includes(value))).toEqual([]);
    for (const line of lines) {
      expect(line).not.toMatch(EMAIL);
      expect(line).not.toMatch(SSN);
      expect(line).not.toMatch(PHONE);
    }
  });
});
