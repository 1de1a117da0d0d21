// A bounded load test on loopback: 50 connections for 10 s against `GET /v1/events` on an embedded PGlite store
// with a few thousand events. Every request must succeed; latency is printed, not asserted (speed is bench/'s).
import { generateStories } from '@signtrail/sandbox';
import autocannon from 'autocannon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './test-support/test-server.js';

const WINDOW = 'from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z';
const PAGE = 100;
// One PGlite session serves every query in turn: with 50 requests queued, a few wait several seconds (p99
// 3-9 s on 2 cores). The timeout (autocannon's default is 10 s) counts a request as lost, not as slow.
const LOAD = { connections: 50, duration: 10, timeout: 30 };

describe('GET /v1/events under load on PGlite', () => {
  const events = generateStories({ seed: 91, processes: 200 }).flatMap((story) => story.events);
  let running: TestServer;
  let key: string;

  beforeAll(async () => {
    running = await startTestServer('pglite');
    await running.store.ingest({ tenant: 'load', events });
    key = (await running.store.createApiKey({ tenant: 'load' })).key;
  });

  afterAll(() => running?.close());

  it(`answers ${LOAD.connections} connections for ${LOAD.duration} s without an error`, async () => {
    expect(events.length).toBeGreaterThan(2000);
    const path = `/v1/events?${WINDOW}&limit=${PAGE}`;
    const first = await fetch(`${running.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
    expect(((await first.json()) as { events: unknown[] }).events).toHaveLength(PAGE);

    const result = await autocannon({
      url: `${running.url}${path}`,
      ...LOAD,
      headers: { authorization: `Bearer ${key}` },
    });
    console.log(
      `server.load: p50=${result.latency.p50}ms p99=${result.latency.p99}ms req/s=${Math.round(result.requests.average)}`,
    );
    expect(result['2xx']).toBeGreaterThan(0);
    expect({ errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx }).toEqual({
      errors: 0,
      timeouts: 0,
      non2xx: 0,
    });
  });
});
