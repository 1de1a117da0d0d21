import {
  eventId,
  InvalidOptionsError,
  reconcile,
  VendorSchemaError,
  type WebhookRequest,
  WebhookVerificationError,
} from '@signtrail/core';
import { exchangeWebhooks, generateStories } from '@signtrail/sandbox';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import callback from './__fixtures__/webhook-callback.json' with { type: 'json' };
import redirect from './__fixtures__/webhook-redirect.json' with { type: 'json' };
import { normalizeSigninghub } from './normalize-signinghub.js';
import { createSigninghubWebhookParser } from './parse-signinghub-webhook.js';
import {
  CALLBACK_BY_TYPE,
  packageIdOf,
  renderCallback,
  renderSigninghubCallbacks,
  renderSigninghubLog,
  startSigninghubSimulator,
  storyOptions,
} from './sandbox/index.js';
import { createSigninghubAdapter } from './signinghub-adapter.js';

const secret = 'c0nnection-secret-4f1d9a';
const post = (
  body: string,
  headers: Record<string, string> = { 'x-signtrail-secret': secret },
): WebhookRequest => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body,
});
const parse = createSigninghubWebhookParser({ secret });
const failure = async (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('SigningHub callbacks', () => {
  it('turns the documented COMPLETED callback into a process.completed event and a re-read of its package', async () => {
    expect(await parse(post(JSON.stringify(callback)))).toEqual({
      events: [
        {
          id: eventId('signinghub', '123', { callback: 'COMPLETED', modified_on: '2015-01-13T10:10:15' }),
          vendor: 'signinghub',
          processId: '123',
          type: 'process.completed',
          occurredAt: '2015-01-13T10:10:15.000000Z',
          seq: 0,
          actor: { kind: 'system' },
          data: {},
          vendorEvent: { type: 'callback COMPLETED' },
          origin: 'webhook',
          raw: callback,
        },
      ],
      warnings: [],
      reread: ['123'],
      deliveryKey: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it("makes no event of any other status, DECLINED included (the log keeps the recipient's decline)", async () => {
    for (const package_status of ['DECLINED', 'INPROGRESS', 'PENDING', 'DRAFT', null, undefined]) {
      const result = await parse(post(JSON.stringify({ ...callback, package_status })));
      expect(result).toMatchObject({ events: [], warnings: [], reread: ['123'] });
    }
  });

  it('gives an identical delivery the same event id, and another modified_on another', async () => {
    const idOf = async (body: unknown) => (await parse(post(JSON.stringify(body)))).events[0]?.id;
    const first = await idOf(callback);
    expect(await idOf(structuredClone(callback))).toBe(first);
    expect(await idOf({ ...callback, modified_on: '2015-01-13T10:10:16' })).not.toBe(first);
  });

  it("reads modified_on in the adapter's timeZone", async () => {
    const adapter = createSigninghubAdapter({ webhookSecret: secret, timeZone: 'Asia/Kolkata' });
    const [event] = (await adapter.parseWebhook(post(JSON.stringify(callback)))).events;
    expect(event?.occurredAt).toBe('2015-01-13T04:40:15.000000Z');
  });

  it.each([
    ['missing', undefined],
    ['null', null],
    ['empty', ''],
    ['unreadable', '13/01/2015 10:10'],
  ])(
    'makes a closing callback with %s modified_on no event but a data warning, still re-reading',
    async (_name, modified_on) => {
      const result = await parse(post(JSON.stringify({ ...callback, modified_on })));
      expect(result.events).toEqual([]);
      expect(result.reread).toEqual(['123']);
      expect(result.warnings).toEqual([
        expect.objectContaining({ type: 'data', message: expect.stringContaining('modified_on') }),
      ]);
    },
  );

  it('names a delivery by method, body and query, never by the secret: an identical callback is a replay', async () => {
    const body = JSON.stringify(callback);
    const key = async (request: WebhookRequest) => (await parse(request)).deliveryKey;
    const inHeader = await key(post(body));
    // The same callback, the secret in the query instead, other query members in another order: same key.
    expect(await key({ ...post(body, {}), query: { secret } })).toBe(inHeader);
    const tagged = await key({ ...post(body), query: { a: '1', b: '2' } });
    expect(await key({ ...post(body, {}), query: { b: '2', secret, a: '1' } })).toBe(tagged);
    expect(tagged).not.toBe(inHeader);
    const other = JSON.stringify({ ...callback, modified_on: '2030-01-01T00:00:00' });
    expect(await key(post(other))).not.toBe(inHeader);
    expect(await key({ ...post(body), method: 'PUT' })).not.toBe(inHeader);
    const get = { method: 'GET', headers: {}, body: '', query: { ...redirect, secret } };
    expect(await key(get)).not.toBe(await key({ ...get, query: { ...get.query, document_id: '124' } }));
    // Another connection's secret changes nothing of the key: the secret is not in it.
    const elsewhere = createSigninghubWebhookParser({ secret: 'another-connection-secret' });
    expect(
      (await elsewhere({ ...post(body, {}), query: { secret: 'another-connection-secret' } })).deliveryKey,
    ).toBe(inHeader);
  });

  it('accepts the secret as a query/path value and the header in any case', async () => {
    const body = JSON.stringify(callback);
    expect((await parse({ ...post(body, {}), query: { secret } })).reread).toEqual(['123']);
    expect((await parse(post(body, { 'X-SignTrail-Secret': secret }))).reread).toEqual(['123']);
  });

  it('turns the legacy GET redirect into a re-read of document_id (the v3 package id)', async () => {
    const request: WebhookRequest = { method: 'GET', headers: {}, body: '', query: { ...redirect, secret } };
    expect(await parse(request)).toEqual({
      events: [],
      warnings: [],
      reread: ['123'],
      deliveryKey: expect.any(String),
    });
  });

  it('re-reads the package of a simulator-rendered callback', async () => {
    const [story] = generateStories({ seed: 3, processes: 1, ...storyOptions });
    const body = JSON.stringify(renderCallback(renderSigninghubLog(story!.events)));
    expect((await parse(post(body))).reread).toEqual([String(packageIdOf(story!.processId))]);
  });

  it('refuses a missing or wrong secret with 401, never echoing either secret', async () => {
    const body = JSON.stringify(callback);
    for (const request of [post(body, {}), post(body, { 'x-signtrail-secret': 'guessed-secret-000' })]) {
      const error = await failure(parse(request));
      expect(error).toBeInstanceOf(WebhookVerificationError);
      expect(error).toMatchObject({ status: 401 });
      expect((error as Error).message).not.toContain(secret);
      expect((error as Error).message).not.toContain('guessed');
    }
  });

  it('accepts exactly the configured secret (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), async (guess) => {
        const outcome = await failure(parse(post(JSON.stringify(callback), { 'x-signtrail-secret': guess })));
        if (guess === secret) expect(outcome).toBeUndefined();
        else expect(outcome).toBeInstanceOf(WebhookVerificationError);
      }),
      { numRuns: 200 },
    );
  });

  it('rejects bodies that are not a callback, naming the path', async () => {
    expect(await failure(parse(post('<xml/>')))).toMatchObject({ path: '$' });
    const missing = await failure(parse(post(JSON.stringify({ package_name: 'x' }))));
    expect(missing).toBeInstanceOf(VendorSchemaError);
    expect(missing).toMatchObject({ path: '$.package_id', expected: 'a number or a non-empty string' });
    for (const package_id of [null, '', true]) {
      const error = await failure(parse(post(JSON.stringify({ ...callback, package_id }))));
      expect(error).toMatchObject({ path: '$.package_id', expected: 'a number or a non-empty string' });
    }
    const redirectWithout: WebhookRequest = { method: 'GET', headers: {}, body: '', query: { secret } };
    expect(await failure(parse(redirectWithout))).toMatchObject({ path: '$.query.document_id' });
  });

  it('reports other methods as unsupported', async () => {
    const result = await parse({ ...post(''), method: 'PUT' });
    expect(result.reread).toEqual([]);
    expect(result.warnings).toEqual([
      expect.objectContaining({ type: 'unsupported', feature: 'webhook method PUT' }),
    ]);
  });

  it('needs a configured secret: the adapter says which option is missing', async () => {
    const error = await failure(createSigninghubAdapter().parseWebhook(post(JSON.stringify(callback))));
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect(error).toMatchObject({ option: 'webhookSecret' });
    const adapter = createSigninghubAdapter({ webhookSecret: secret });
    expect((await adapter.parseWebhook(post(JSON.stringify(callback)))).reread).toEqual(['123']);
  });
});

describe("the simulator's webhooks (SigningHub)", () => {
  it.each(['post', 'redirect'] as const)(
    'sends %s callbacks that parseWebhook verifies with its secret, each re-reading its story; a wrong secret fails',
    async (callbacks) => {
      const stories = generateStories({ ...storyOptions, seed: 11, processes: 4 });
      const sim = await startSigninghubSimulator({ stories, callbacks });
      try {
        const { deliveries, results } = await exchangeWebhooks(
          sim,
          stories,
          (webhookSecret) => createSigninghubAdapter({ webhookSecret }).parseWebhook,
        );
        const packages = new Set(stories.map((s) => String(packageIdOf(s.processId))));
        expect(new Set(deliveries.map((d) => d.processId))).toEqual(packages);
        // One callback per happening SigningHub calls back for.
        const expected = stories.flatMap((story) =>
          story.events.flatMap((event) => CALLBACK_BY_TYPE[event.type] ?? []),
        );
        expect(deliveries.map((d) => d.eventType)).toEqual(expected);
        // A POST of a closed package is an event too; the redirect carries no status, so no event.
        const closing = stories.flatMap((story) =>
          renderSigninghubCallbacks(story, { secret }).flatMap((d) => {
            const status = (JSON.parse(d.body!) as { package_status: string }).package_status;
            return status === 'COMPLETED' ? [[d.processId, status]] : [];
          }),
        );
        const events = results.flatMap((r) => r.events);
        expect(events.map((e) => [e.processId, e.vendorEvent.type.replace('callback ', '')])).toEqual(
          callbacks === 'post' ? closing : [],
        );
        if (callbacks === 'post') expect(closing.length).toBeGreaterThan(0);
      } finally {
        await sim.close();
      }
    },
  );

  it('posts the package as it stood after each happening, the secret in the header', () => {
    const story = generateStories({ ...storyOptions, seed: 7, processes: 10 }).find(
      (s) => s.outcome === 'completed' && !s.deleted,
    )!;
    const rendered = renderSigninghubCallbacks(story, { secret });
    const statuses = rendered.map((d) => (JSON.parse(d.body!) as { package_status: string }).package_status);
    expect(rendered.map((d) => d.eventType)).toEqual([
      'SHARED',
      ...rendered.slice(1, -1).map(() => expect.stringMatching(/^(SIGNED|REVIEWED)$/)),
      'COMPLETED',
    ]);
    expect(statuses).toEqual([...rendered.slice(0, -1).map(() => 'INPROGRESS'), 'COMPLETED']);
    expect(rendered.every((d) => d.headers['x-signtrail-secret'] === secret && d.method === undefined)).toBe(
      true,
    );
  });

  it("the log confirms a COMPLETED callback's event; a declined package's callbacks add no event", async () => {
    const stories = generateStories({ ...storyOptions, seed: 7, processes: 12 });
    const outcomes = new Set<string>();
    for (const story of stories.filter((s) => s.outcome === 'completed' || s.outcome === 'declined')) {
      outcomes.add(story.outcome);
      const log = normalizeSigninghub(renderSigninghubLog(story.events)).events;
      const events = [];
      for (const delivery of renderSigninghubCallbacks(story, { secret })) {
        events.push(...(await parse(post(delivery.body!))).events);
      }
      const webhookEvents = reconcile([...log, ...events]).filter((e) => e.origin === 'webhook');
      if (story.outcome === 'declined') expect(webhookEvents).toEqual([]);
      else {
        expect(webhookEvents).toHaveLength(1);
        expect(webhookEvents[0]?.confirmedBy).toBe(log.find((e) => e.type === 'process.completed')?.id);
      }
    }
    expect(outcomes).toEqual(new Set(['completed', 'declined']));
  });
});
