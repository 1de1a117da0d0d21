import type { NormalizedEvent } from '@signtrail/core';
import { generateStories, type Story } from '@signtrail/sandbox';
import type { Store } from '@signtrail/store';
import { openStore } from '@signtrail/store';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type SignTrailServer } from './create-server.js';
import {
  announceSkippedPostgres,
  createLocation,
  drivers,
  type TestLocation,
} from './test-support/databases.js';

announceSkippedPostgres();

const WINDOW = { from: '2024-01-01T00:00:00Z', to: '2030-01-01T00:00:00Z' };
const byPosition = (a: NormalizedEvent, b: NormalizedEvent) =>
  a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

describe.each(drivers)('HTTP API on %s', (driver) => {
  let location: TestLocation;
  let store: Store;
  let server: SignTrailServer;
  let url: string;
  let keyA: string;
  let keyB: string;
  const storiesA: Story[] = generateStories({ seed: 7, processes: 25 });
  const storiesB: Story[] = generateStories({ seed: 8, processes: 5, processIdPrefix: 'tb' });
  const truth = storiesA.flatMap((story) => story.events).sort(byPosition);

  const get = (path: string, key = keyA, headers: Record<string, string> = {}) =>
    fetch(`${url}${path}`, { headers: { authorization: `Bearer ${key}`, ...headers } });
  const json = async (path: string, key = keyA) => {
    const response = await get(path, key);
    expect(response.status, path).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  };
  const query = (params: Record<string, string | string[]>) => {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries({ ...WINDOW, ...params })) {
      for (const v of Array.isArray(value) ? value : [value]) search.append(name, v);
    }
    return search.toString();
  };

  beforeAll(async () => {
    location = await createLocation(driver);
    store = await openStore(location.options);
    await store.ingest({ tenant: 'tenant-a', events: truth });
    await store.ingest({ tenant: 'tenant-b', events: storiesB.flatMap((story) => story.events) });
    keyA = (await store.createApiKey({ tenant: 'tenant-a' })).key;
    keyB = (await store.createApiKey({ tenant: 'tenant-b' })).key;
    server = createServer({ store, logger: pino({ level: 'silent' }) });
    ({ url } = await server.start());
  });

  afterAll(async () => {
    await server?.stop();
    await store?.close();
    await location?.drop();
  });

  it('serves health, readiness, metrics, OpenAPI 3.1 and the docs page without a key', async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${url}/readyz`)).json()).toMatchObject({ status: 'ready', driver });
    const document = (await (await fetch(`${url}/openapi.json`)).json()) as {
      openapi: string;
      paths: object;
    };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/v1/events',
        '/v1/events/total',
        '/v1/processes',
        '/v1/processes/{vendor}/{processId}',
        '/v1/processes/{vendor}/{processId}/export',
        '/v1/webhooks/{vendor}/{connectionId}',
        '/v1/sync',
        '/v1/sync/status',
      ]),
    );
    const docs = await fetch(`${url}/docs`);
    expect(docs.headers.get('content-type')).toBe('text/html; charset=utf-8');
    // Swagger UI from this server: every script, style and the spec it loads is a local path.
    expect(await docs.text()).not.toMatch(/(?:src|href)="(?!\/)/);
    await get(`/v1/events?${query({})}`);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/http_requests_total\{method="GET",route="\/v1\/events",status="200"\} \d+/);
    expect(metrics).toContain('http_request_duration_seconds_bucket');
  });

  it('refuses requests without a valid key with 401 problem+json', async () => {
    for (const response of [
      await fetch(`${url}/v1/events?${query({})}`),
      await get(`/v1/events?${query({})}`, 'st_x_wrong'),
    ]) {
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(await response.json()).toMatchObject({
        type: 'https://signtrail.dev/problems/unauthorized',
        status: 401,
      });
    }
  });

  it.each([
    ['from after to', { from: '2025-01-01T00:00:00Z', to: '2024-01-01T00:00:00Z' }, 'from'],
    ['from equal to to', { from: '2025-01-01T00:00:00Z', to: '2025-01-01T00:00:00Z' }, 'from'],
    ['an unreadable from', { from: 'yesterday' }, 'from'],
    ['an unknown parameter', { colour: 'red' }, 'colour'],
    ['a page size over 1000', { limit: '1001' }, 'limit'],
    ['a page size of 0', { limit: '0' }, 'limit'],
    ['an unknown type', { type: 'signer.teleported' }, 'type'],
    ['an unknown status', { status: 'lost' }, 'status'],
    ['offset and cursor', { offset: '1', cursor: 'abc' }, 'cursor'],
    ['a forged cursor', { cursor: 'bm90LWEtY3Vyc29y' }, 'cursor'],
  ])('answers %s with 400 problem+json naming the parameter', async (_, params, parameter) => {
    const response = await get(`/v1/events?${query(params)}`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({
      type: 'https://signtrail.dev/problems/invalid-request',
      status: 400,
      parameter,
    });
  });

  it('requires from and to on /v1/events', async () => {
    const response = await get('/v1/events');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { parameter: string }).parameter).toBe('from');
  });

  it('walks every event by offset and by cursor, both equal to the ground truth', async () => {
    const byOffset: NormalizedEvent[] = [];
    for (let offset = 0; ; offset += 37) {
      const page = (await json(
        `/v1/events?${query({ limit: '37', offset: String(offset), total: 'true' })}`,
      )) as {
        events: NormalizedEvent[];
        total: number;
      };
      expect(page.total).toBe(truth.length);
      byOffset.push(...page.events);
      if (page.events.length < 37) break;
    }
    const byCursor: NormalizedEvent[] = [];
    let cursor: string | undefined;
    do {
      const page = (await json(`/v1/events?${query({ limit: '41', ...(cursor ? { cursor } : {}) })}`)) as {
        events: NormalizedEvent[];
        nextCursor?: string;
      };
      expect(page).not.toHaveProperty('total'); // counted only on request (total=true)
      byCursor.push(...page.events);
      cursor = page.nextCursor;
    } while (cursor);
    expect(byOffset.map((e) => e.id)).toEqual(truth.map((e) => e.id));
    expect(byCursor.map((e) => e.id)).toEqual(truth.map((e) => e.id));
    expect(byCursor).toEqual(truth);
  });

  it('keeps a cursor stable while events are inserted before it', async () => {
    const first = (await json(`/v1/events?${query({ limit: '10' })}`)) as {
      events: NormalizedEvent[];
      nextCursor: string;
    };
    const early = { ...truth[0]!, id: 'zz-early-insert', processId: 'early', seq: 0 } as NormalizedEvent;
    await store.ingest({ tenant: 'tenant-a', events: [early] });
    const second = (await json(`/v1/events?${query({ limit: '10', cursor: first.nextCursor })}`)) as {
      events: NormalizedEvent[];
    };
    expect(second.events.map((e) => e.id)).toEqual(truth.slice(10, 20).map((e) => e.id));
    await store.ingest({ tenant: 'tenant-a', events: [] });
    truth.push(early);
    truth.sort(byPosition);
  });

  it('filters by process, type (repeatable), vendor, window, signer, status, user and free text', async () => {
    const story = storiesA[3]!;
    const cases: Array<[Record<string, string | string[]>, (e: NormalizedEvent) => boolean]> = [
      [{ processId: story.processId }, (e) => e.processId === story.processId],
      [
        { type: ['signer.signed', 'process.created'] },
        (e) => e.type === 'signer.signed' || e.type === 'process.created',
      ],
      [
        { type: 'signer.viewed,signer.invited' },
        (e) => e.type === 'signer.viewed' || e.type === 'signer.invited',
      ],
      [{ vendor: 'sandbox' }, () => true],
      [{ vendor: 'zapsign' }, () => false],
      [
        { from: truth[50]!.occurredAt, to: truth[80]!.occurredAt },
        (e) => e.occurredAt >= truth[50]!.occurredAt && e.occurredAt < truth[80]!.occurredAt,
      ],
    ];
    for (const [params, keep] of cases) {
      const expected = truth.filter((e) => e.id !== 'zz-early-insert' || keep(e)).filter(keep);
      const page = (await json(`/v1/events?${query({ limit: '1000', ...params })}`)) as {
        events: NormalizedEvent[];
        total: number;
      };
      expect(
        page.events.map((e) => e.id),
        JSON.stringify(params),
      ).toEqual(expected.map((e) => e.id));
      const total = (await json(`/v1/events/total?${query(params)}`)) as { total: number };
      expect(total.total).toBe(expected.length);
    }
    const signer = story.signers[0]!;
    const bySigner = (await json(`/v1/events?${query({ signer: signer.email, limit: '1000' })}`)) as {
      events: NormalizedEvent[];
    };
    expect(bySigner.events.length).toBeGreaterThan(0);
    expect(
      bySigner.events.every((e) => e.signerId === signer.signerId || e.data.signerEmail === signer.email),
    ).toBe(true);
    const completed = storiesA.filter((s) => s.outcome === 'completed').map((s) => s.processId);
    const byStatus = (await json(`/v1/events?${query({ status: 'completed', limit: '1000' })}`)) as {
      events: NormalizedEvent[];
    };
    expect(new Set(byStatus.events.map((e) => e.processId))).toEqual(new Set(completed));
    const byUser = (await json(`/v1/events?${query({ user: story.owner.email, limit: '1000' })}`)) as {
      events: NormalizedEvent[];
    };
    expect(byUser.events.length).toBeGreaterThan(0);
    expect(byUser.events.every((e) => e.actor.kind === 'user')).toBe(true);
    const firstName = signer.name.split(' ')[0]!;
    const byText = (await json(`/v1/events?${query({ q: firstName, limit: '1000' })}`)) as {
      events: NormalizedEvent[];
    };
    expect(byText.events.some((e) => e.processId === story.processId)).toBe(true);
  });

  it('answers a NUL character anywhere in the URL with 400 naming where, with or without a key', async () => {
    const cases: [string, string | undefined, string][] = [
      [`/v1/events?${query({ q: 'a\0b' })}`, keyA, 'q'],
      [`/v1/events?${query({ processId: '\0x' })}`, keyA, 'processId'],
      [`/v1/processes?signer=${encodeURIComponent('\0')}`, keyA, 'signer'],
      ['/v1/processes/zapsign/a%00b', keyA, 'path'],
      ['/v1/webhooks/zapsign/a%00b', undefined, 'path'],
    ];
    for (const [path, apiKey, parameter] of cases) {
      const response = await fetch(`${url}${path}`, {
        method: path.startsWith('/v1/webhooks/') ? 'POST' : 'GET',
        headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
        body: path.startsWith('/v1/webhooks/') ? '{}' : undefined,
      });
      expect(response.status, path).toBe(400);
      expect(await response.json()).toMatchObject({
        type: 'https://signtrail.dev/problems/invalid-request',
        parameter,
        detail: `${parameter} must not contain a NUL character`,
      });
    }
  });

  it('lists processes with state and serves one process with its timeline; the other tenant gets 404', async () => {
    const list = (await json('/v1/processes?limit=1000')) as {
      processes: Array<{ processId: string; status: string }>;
      total: number;
    };
    expect(list.total).toBe(storiesA.length + 1);
    const story = storiesA.find((s) => s.outcome === 'completed')!;
    expect(list.processes.find((p) => p.processId === story.processId)?.status).toBe('completed');
    const completed = (await json('/v1/processes?status=completed&limit=1000')) as { total: number };
    expect(completed.total).toBe(storiesA.filter((s) => s.outcome === 'completed').length);
    const one = (await json(`/v1/processes/sandbox/${story.processId}`)) as {
      process: { status: string };
      events: NormalizedEvent[];
    };
    expect(one.process.status).toBe('completed');
    expect(new Set(one.events.map((e) => e.id))).toEqual(new Set(story.events.map((e) => e.id)));
    const foreign = await get(`/v1/processes/sandbox/${story.processId}`, keyB);
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toMatchObject({ type: 'https://signtrail.dev/problems/not-found' });
    expect((await get(`/v1/processes/sandbox/${story.processId}/export?format=csv`, keyB)).status).toBe(404);
    const eventsOfB = (await json(
      `/v1/events?${query({ processId: story.processId, total: 'true' })}`,
      keyB,
    )) as {
      total: number;
    };
    expect(eventsOfB.total).toBe(0);
    const listB = (await json('/v1/processes?limit=1000', keyB)) as {
      processes: Array<{ processId: string }>;
    };
    expect(listB.processes.map((p) => p.processId).sort()).toEqual(storiesB.map((s) => s.processId).sort());
  });

  it('exports a timeline as JSON, NDJSON and CSV', async () => {
    const story = storiesA[0]!;
    const path = `/v1/processes/sandbox/${story.processId}/export`;
    const asJson = (await (await get(`${path}?format=json`)).json()) as { events: NormalizedEvent[] };
    expect(asJson.events).toHaveLength(story.events.length);
    const ndjson = await get(`${path}?format=ndjson`);
    expect(ndjson.headers.get('content-type')).toBe('application/x-ndjson');
    const lines = (await ndjson.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as NormalizedEvent);
    expect(lines.map((e) => e.id)).toEqual(asJson.events.map((e) => e.id));
    const csv = await get(`${path}?format=csv`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const rows = (await csv.text()).trim().split('\r\n');
    expect(rows[0]).toBe(
      'id,vendor,processId,type,occurredAt,seq,actorKind,actorName,actorEmail,signerId,documentId,channel,origin,vendorEventType',
    );
    expect(rows).toHaveLength(story.events.length + 1);
    expect((await get(`${path}?format=pdf`)).status).toBe(400);
  });

  it('answers a CloudEvents 1.0 batch on request', async () => {
    const response = await get(`/v1/events?${query({ limit: '5' })}`, keyA, {
      accept: 'application/cloudevents-batch+json',
    });
    expect(response.headers.get('content-type')).toBe('application/cloudevents-batch+json');
    expect(response.headers.get('x-next-cursor')).toBeTruthy();
    const batch = (await response.json()) as Array<Record<string, unknown>>;
    expect(batch).toHaveLength(5);
    expect(batch[0]).toMatchObject({
      specversion: '1.0',
      id: truth[0]!.id,
      source: '/signtrail/sandbox',
      type: `dev.signtrail.${truth[0]!.type}`,
      subject: truth[0]!.processId,
      time: truth[0]!.occurredAt,
      data: truth[0],
    });
  });

  it('limits request bodies and answers unknown routes with problem+json', async () => {
    const big = await fetch(`${url}/v1/sync`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keyA}`, 'content-type': 'application/json' },
      body: JSON.stringify({ vendor: 'x'.repeat(70_000) }),
    });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ type: 'https://signtrail.dev/problems/payload-too-large' });
    const missing = await get('/v1/nothing');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
  });
  it.each([
    ['malformed JSON', '{bad'],
    ['an empty body', ''],
  ])('answers POST /v1/sync with %s as 400 problem+json naming the body', async (_, body) => {
    const response = await fetch(`${url}/v1/sync`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keyA}`, 'content-type': 'application/json' },
      body,
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({
      type: 'https://signtrail.dev/problems/invalid-request',
      status: 400,
      parameter: 'body',
    });
  });

  it('answers a body of the wrong shape with 400 naming the body, and a non-JSON one with 415', async () => {
    const post = (body: string, contentType: string) =>
      fetch(`${url}/v1/sync`, {
        method: 'POST',
        headers: { authorization: `Bearer ${keyA}`, 'content-type': contentType },
        body,
      });
    for (const body of ['[]', '{"wait":1}', '{"colour":"red"}']) {
      const response = await post(body, 'application/json');
      expect(response.status, body).toBe(400);
      expect(await response.json(), body).toMatchObject({ parameter: 'body' });
    }
    const text = await post('wait', 'text/plain');
    expect(text.status).toBe(415);
    expect(await text.json()).toMatchObject({
      type: 'https://signtrail.dev/problems/unsupported-media-type',
    });
  });

  it.each([
    ['GET', '/v1/processes/sandbox/p-1', true],
    ['GET', '/v1/sync/status', true],
    ['POST', '/v1/sync', true],
    ['GET', '/healthz', false],
    ['GET', '/readyz', false],
    ['GET', '/metrics', false],
    ['GET', '/openapi.json', false],
    ['GET', '/docs', false],
    ['GET', '/docs/swagger-ui.css', false],
  ])(
    'refuses an unknown query parameter on %s %s with 400 problem+json naming it',
    async (method, path, auth) => {
      const response = await fetch(`${url}${path}?colour=red`, {
        method,
        headers: auth ? { authorization: `Bearer ${keyA}` } : {},
      });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(await response.json()).toMatchObject({
        type: 'https://signtrail.dev/problems/invalid-request',
        parameter: 'colour',
        detail: 'unknown parameter "colour"',
      });
    },
  );

  it('declares the problem responses each operation can give in the OpenAPI document', async () => {
    const document = (await (await fetch(`${url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, { content?: object }> }>>;
    };
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ name: `${method} ${path}`, ...operation })),
    );
    expect(operations.map((operation) => operation.name)).toEqual(
      expect.arrayContaining(['get /healthz', 'get /readyz', 'get /metrics']),
    );
    for (const { name, responses } of operations) {
      expect(Object.keys(responses), name).toEqual(expect.arrayContaining(['400', '500']));
      expect(responses['500']?.content, name).toHaveProperty(['application/problem+json']);
    }
    const byName = new Map(operations.map((operation) => [operation.name, operation.responses]));
    expect(Object.keys(byName.get('post /v1/sync')!)).toEqual(expect.arrayContaining(['413', '415']));
    expect(Object.keys(byName.get('post /v1/webhooks/{vendor}/{connectionId}')!)).toContain('413');
    expect(Object.keys(byName.get('get /readyz')!)).toContain('503');
    // A CloudEvents batch pages through headers: the document says which.
    const page = byName.get('get /v1/events')!['200'] as { headers?: Record<string, unknown> };
    expect(Object.keys(page.headers ?? {}).sort()).toEqual(['x-next-cursor', 'x-total-count']);
  });

  it('answers a webhook for an unknown vendor with 404 unsupported-vendor, counted under vendor="unknown"', async () => {
    const response = await fetch(`${url}/v1/webhooks/jane.doe%40example.com/x`, {
      method: 'POST',
      body: '{}',
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      type: 'https://signtrail.dev/problems/unsupported-vendor',
    });
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(
      /^signtrail_webhook_rejections_total\{reason="unsupported_vendor",vendor="unknown"\} [1-9]/m,
    );
    expect(metrics).not.toContain('example.com');
  });
});

describe("Hono's own errors", () => {
  // Hono raises HTTPException for what it refuses itself (body parsing, media types); a route here stands in.
  const server = createServer({
    store: {} as Store,
    processWebhooks: false,
    logger: pino({ level: 'silent' }),
  });
  server.app.get('/refuse/:status', (c) => {
    throw new HTTPException(Number(c.req.param('status')) as ContentfulStatusCode);
  });

  it.each([
    [400, 400, 'invalid-request'],
    [401, 401, 'unauthorized'],
    [404, 404, 'not-found'],
    [405, 400, 'invalid-request'],
    [413, 413, 'payload-too-large'],
    [415, 415, 'unsupported-media-type'],
    [422, 400, 'invalid-request'],
    [503, 500, 'internal'],
  ])('answers an HTTPException %i as %i %s problem+json', async (thrown, status, kind) => {
    const response = await server.app.request(`/refuse/${thrown}`);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ type: `https://signtrail.dev/problems/${kind}`, status });
  });
});
