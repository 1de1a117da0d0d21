import {
  createVendorHttp,
  type VendorRateLimitError,
  type VendorResponseError,
  VendorSchemaError,
} from '@signtrail/core';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { FaultRule } from './faults.js';
import { type Simulator, startSimulator } from './harness.js';

let simulator: Simulator | undefined;
afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

const items = z.array(z.object({ n: z.number() }));
async function start(faults: FaultRule[] = [], onShift?: (count: number) => void) {
  let records = [1, 2, 3, 4, 5, 6].map((n) => ({ n }));
  simulator = await startSimulator({
    vendor: 'demo',
    basePath: '/api',
    faults,
    onShift:
      onShift ??
      ((count) => {
        records = [...Array.from({ length: count }, (_, i) => ({ n: 100 + i })), ...records];
      }),
    authenticate: (req) =>
      req.headers.authorization === 'Bearer ok' ? undefined : { status: 401, json: { Message: 'denied' } },
    routes: [
      {
        name: 'list',
        method: 'GET',
        path: '/items',
        handle: (req) => {
          const skip = Number(req.query.get('skip') ?? 0);
          return { json: records.slice(skip, skip + 3) };
        },
      },
      {
        name: 'item',
        method: 'GET',
        path: '/items/:id',
        handle: (req) => ({ json: [{ n: Number(req.params.id) }] }),
      },
    ],
  });
  return simulator;
}
const client = (sim: Simulator, retries = 0) =>
  createVendorHttp({
    vendor: 'demo',
    baseUrl: sim.baseUrl,
    authorize: () => 'Bearer ok',
    retries,
    backoffMs: 1,
    timeoutMs: 500,
  });

describe('simulator harness', () => {
  it('serves routes with params on 127.0.0.1 and checks credentials', async () => {
    const sim = await start();
    expect(sim.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api$/);
    expect((await client(sim).json({ path: 'items/42', schema: items })).data).toEqual([{ n: 42 }]);
    const denied = await fetch(`${sim.baseUrl}/items`);
    expect(denied.status).toBe(401);
    expect(sim.requests.map((r) => [r.route, r.status])).toEqual([
      ['item', 200],
      ['list', 401],
    ]);
    expect(JSON.stringify(sim.requests)).not.toContain('Bearer');
  });

  const observed: Array<[string, FaultRule, (error: unknown) => void]> = [
    [
      '500',
      { route: 'list', fault: { kind: 'status', status: 500 } },
      (e) => expect((e as VendorResponseError).status).toBe(500),
    ],
    [
      '502',
      { route: 'list', fault: { kind: 'status', status: 502 } },
      (e) => expect((e as VendorResponseError).status).toBe(502),
    ],
    [
      '503',
      { route: 'list', fault: { kind: 'status', status: 503 } },
      (e) => expect((e as VendorResponseError).status).toBe(503),
    ],
    [
      '429',
      { route: 'list', fault: { kind: 'rate-limit', retryAfterSeconds: 120 } },
      (e) => expect((e as VendorRateLimitError).retryAfterMs).toBe(120_000),
    ],
    [
      'reset',
      { route: 'list', fault: { kind: 'reset' } },
      (e) => expect((e as Error).message).toMatch(/network error/),
    ],
    [
      'timeout',
      { route: 'list', fault: { kind: 'timeout', ms: 2000 } },
      (e) => expect((e as Error).message).toMatch(/timed out/),
    ],
    [
      'truncate',
      { route: 'list', fault: { kind: 'truncate' } },
      (e) => expect((e as Error).message).toMatch(/not valid JSON|connection lost/),
    ],
    [
      'schema',
      { route: 'list', fault: { kind: 'schema' } },
      (e) => expect(e).toBeInstanceOf(VendorSchemaError),
    ],
  ];

  it.each(observed)(
    'fault %s is seen by a client, and only as often as asked',
    async (_name, rule, check) => {
      const sim = await start([{ ...rule, times: 1 }]);
      const error = await client(sim)
        .json({ path: 'items', schema: items })
        .catch((e) => e);
      check(error);
      // bounded: the second request is served normally
      expect((await client(sim).json({ path: 'items', schema: items })).data).toHaveLength(3);
      expect(sim.requests[0]?.faults).toEqual([rule.fault.kind]);
    },
  );

  it('a client with retries rides through every transient fault', async () => {
    const sim = await start([
      { route: 'list', hits: [1], fault: { kind: 'status', status: 503 } },
      { route: 'list', hits: [2], fault: { kind: 'reset' } },
      { route: 'list', hits: [3], fault: { kind: 'truncate' } },
      { route: 'list', hits: [4], fault: { kind: 'rate-limit', retryAfterSeconds: 0 } },
      { route: 'list', hits: [5], fault: { kind: 'schema' } },
    ]);
    const http = client(sim, 5);
    expect((await http.json({ path: 'items', schema: items })).data).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(http.requestCount).toBe(6);
  });

  it('latency delays the answer', async () => {
    const sim = await start([{ fault: { kind: 'latency', ms: 120 }, times: 1 }]);
    const started = Date.now();
    await client(sim).json({ path: 'items', schema: items });
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('shifting pages: records inserted mid-walk make offset pages overlap', async () => {
    const sim = await start([{ route: 'list', hits: [2], fault: { kind: 'shift', count: 2 } }]);
    const http = client(sim);
    const first = (await http.json({ path: 'items', searchParams: { skip: 0 }, schema: items })).data;
    const second = (await http.json({ path: 'items', searchParams: { skip: 3 }, schema: items })).data;
    expect(first.map((x) => x.n)).toEqual([1, 2, 3]);
    expect(second.map((x) => x.n)).toEqual([2, 3, 4]); // 2 and 3 again: the page shifted under the client
  });

  it('rejects bodies over the limit with 413 and closes cleanly with requests held', async () => {
    const sim = await startSimulator({
      vendor: 'demo',
      maxBodyBytes: 10,
      routes: [{ name: 'hook', method: 'POST', path: '/hook', handle: () => ({ status: 204 }) }],
      faults: [{ route: 'never', fault: { kind: 'timeout' } }],
    });
    simulator = sim;
    const response = await fetch(`${sim.baseUrl}/hook`, { method: 'POST', body: 'x'.repeat(100) });
    expect(response.status).toBe(413);
    sim.setFaults([{ fault: { kind: 'timeout', ms: 60_000 } }]);
    const pending = fetch(`${sim.baseUrl}/hook`, { method: 'POST', body: '{}' }).catch((e) => e);
    await new Promise((r) => setTimeout(r, 50));
    await sim.close();
    simulator = undefined;
    expect(await pending).toBeInstanceOf(Error);
  });
});
