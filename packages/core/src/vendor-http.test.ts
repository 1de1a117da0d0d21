import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  VendorAuthError,
  VendorNotFoundError,
  VendorRateLimitError,
  VendorResponseError,
  VendorSchemaError,
} from './errors.js';
import { createVendorHttp } from './vendor-http.js';

type Handler = (req: IncomingMessage, res: ServerResponse, hit: number) => void;
const routes = new Map<string, Handler>();
const hits = new Map<string, number>();
let baseUrl = '';
const server = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  const hit = (hits.get(path) ?? 0) + 1;
  hits.set(path, hit);
  const handler = routes.get(path);
  if (handler) handler(req, res, hit);
  else res.writeHead(404, { 'content-type': 'application/json' }).end('{"Message":"Document not found"}');
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const schema = z.object({ total: z.number() });
const ok = (res: ServerResponse) =>
  res.writeHead(200, { 'content-type': 'application/json' }).end('{"total":3}');
const http = (extra: Partial<Parameters<typeof createVendorHttp>[0]> = {}) =>
  createVendorHttp({
    vendor: 'testvendor',
    baseUrl,
    backoffMs: 5,
    timeoutMs: 300,
    retries: 3,
    authorize: () => 'Basic c2VjcmV0',
    ...extra,
  });

describe('createVendorHttp', () => {
  it('sends auth and query, validates the body, keeps the raw body', async () => {
    routes.set('/api/q', (req, res) => {
      expect(req.headers.authorization).toBe('Basic c2VjcmV0');
      expect(req.url).toBe('/api/q?Take=10&Search=a+b');
      ok(res);
    });
    const result = await http().json({
      path: '/q',
      searchParams: { Take: 10, Skip: undefined, Search: 'a b' },
      schema,
    });
    expect(result).toMatchObject({ data: { total: 3 }, body: { total: 3 }, status: 200 });
  });

  it('retries 5xx, truncated bodies and resets, then succeeds', async () => {
    routes.set('/api/flaky', (_req, res, hit) => {
      if (hit === 1) res.writeHead(503).end('busy');
      else if (hit === 2) res.writeHead(200, { 'content-type': 'application/json' }).end('{"tot');
      else if (hit === 3) res.socket?.destroy();
      else ok(res);
    });
    const client = http();
    expect((await client.json({ path: 'flaky', schema })).data.total).toBe(3);
    expect(client.requestCount).toBe(4);
  });

  it('honours Retry-After on 429 and gives up with VendorRateLimitError when it is too long', async () => {
    routes.set('/api/limited', (_req, res, hit) => {
      if (hit === 1) res.writeHead(429, { 'retry-after': '0' }).end('{"message":"slow down"}');
      else ok(res);
    });
    expect((await http().json({ path: 'limited', schema })).data.total).toBe(3);
    routes.set('/api/limited-long', (_req, res) =>
      res.writeHead(429, { 'retry-after': '3600' }).end('{"message":"slow down"}'),
    );
    const error = await http()
      .json({ path: 'limited-long', schema })
      .catch((e) => e);
    expect(error).toBeInstanceOf(VendorRateLimitError);
    expect(error.retryAfterMs).toBe(3_600_000);
    expect(error.message).toContain('slow down');
  });

  it('retries timeouts, then fails with a VendorResponseError saying so', async () => {
    routes.set('/api/slow', () => {
      /* never answers */
    });
    const client = http({ retries: 1 });
    const error = await client.json({ path: 'slow', schema }).catch((e) => e);
    expect(error).toBeInstanceOf(VendorResponseError);
    expect(error.message).toMatch(/testvendor: timed out after 300 ms/);
    expect(client.requestCount).toBe(2);
  });

  it('keeps personal data of the request out of a transport error, its url and its cause', async () => {
    routes.set('/api/user/owner%40example.com', () => {
      /* never answers */
    });
    const client = http({ retries: 0 });
    const request = {
      path: `user/${encodeURIComponent('owner@example.com')}`,
      searchParams: { Search: '123456-7890' },
    };
    const timeout = await client.json({ ...request, schema }).catch((e) => e);
    expect(timeout).toBeInstanceOf(VendorResponseError);
    expect(timeout.url).toBe(`${baseUrl}user/o****@e******.com`);
    expect(timeout.cause).toMatchObject({ name: 'TimeoutError' });
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await createVendorHttp({
      vendor: 'testvendor',
      baseUrl: `http://127.0.0.1:${port}/`,
      retries: 0,
    })
      .json({ ...request, schema })
      .catch((e) => e);
    expect(refused.cause).toMatchObject({ code: 'ECONNREFUSED' });
    for (const error of [timeout, refused]) {
      const shown = inspect(error, { depth: 8 });
      for (const secret of ['123456-7890', 'owner@example.com', 'owner%40example.com', 'Search=']) {
        expect(shown).not.toContain(secret);
      }
    }
  });

  it('maps 401, 403 and 404 to typed errors with the vendor message and no credential', async () => {
    routes.set('/api/denied', (_req, res) =>
      res.writeHead(401, { 'x-request-id': 'req-7' }).end('{"Message":"Request authorization denied"}'),
    );
    routes.set('/api/html', (_req, res) =>
      res.writeHead(403, { 'content-type': 'text/html' }).end('<html>nope</html>'),
    );
    const denied = await http()
      .json({ path: 'denied', schema })
      .catch((e) => e);
    expect(denied).toBeInstanceOf(VendorAuthError);
    expect(denied.message).toBe(
      'testvendor: authentication or authorization failed; check the credentials for this vendor (HTTP 401) vendor said: "Request authorization denied" request id req-7',
    );
    expect(denied.message).not.toContain('c2VjcmV0');
    const html = await http()
      .json({ path: 'html', schema })
      .catch((e) => e);
    expect(html).toBeInstanceOf(VendorAuthError);
    expect(html.vendorMessage).toBe('non-JSON error body (text/html)');
    const missing = await http()
      .json({ path: 'missing', schema, searchParams: { Search: 'jon@example.com' } })
      .catch((e) => e);
    expect(missing).toBeInstanceOf(VendorNotFoundError);
    expect(missing.url).toBe(`${baseUrl}missing`);
    expect(missing.isRetryable).toBe(false);
  });

  it('renews credentials once on 401', async () => {
    let token = 'old';
    routes.set('/api/token', (req, res) => {
      if (req.headers.authorization === 'Bearer new') ok(res);
      else res.writeHead(401).end('{"Message":"User authentication required"}');
    });
    let renewals = 0;
    const client = http({
      authorize: () => `Bearer ${token}`,
      onUnauthorized: () => {
        renewals += 1;
        token = 'new';
        return true;
      },
    });
    expect((await client.json({ path: 'token', schema })).data.total).toBe(3);
    expect(renewals).toBe(1);
  });

  it('names the path of a schema mismatch after retries', async () => {
    routes.set('/api/bad', (_req, res) => res.writeHead(200).end('{"total":"three"}'));
    const error = await http({ retries: 0 })
      .json({ path: 'bad', schema })
      .catch((e) => e);
    expect(error).toBeInstanceOf(VendorSchemaError);
    expect(error.path).toBe('$.total');
    expect(error.message).toMatch(/^testvendor: unexpected payload at \$\.total: expected/);
  });

  it('spaces requests by minIntervalMs', async () => {
    routes.set('/api/paced', (_req, res) => ok(res));
    const client = http({ minIntervalMs: 40 });
    const started = Date.now();
    await Promise.all([1, 2, 3].map(() => client.json({ path: 'paced', schema })));
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
  });
});

describe('createVendorHttp credentials and headers', () => {
  it('passes a typed error from authorize through untouched, without retrying', async () => {
    const { VendorAuthError: AuthError } = await import('./errors.js');
    routes.set('/api/any', (_req, res) => ok(res));
    const client = http({
      authorize: () => {
        throw new AuthError({
          vendor: 'testvendor',
          status: 401,
          vendorMessage: 'Client authentication failed',
        });
      },
    });
    const error = await client.json({ path: 'any', schema }).catch((e) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect(client.requestCount).toBe(0);
  });

  it('sends request headers, returns response headers, tells onUnauthorized what was refused', async () => {
    routes.set('/api/headers', (req, res) => {
      if (req.headers.authorization !== 'Bearer two') return res.writeHead(401).end('{}');
      res.writeHead(200, {
        'content-type': 'application/json',
        'x-total-records': String(req.headers['x-folder']),
      });
      res.end('{"total":1}');
    });
    let token = 'one';
    const refused: (string | undefined)[] = [];
    const client = http({
      authorize: () => `Bearer ${token}`,
      onUnauthorized: (value) => {
        refused.push(value);
        token = 'two';
        return true;
      },
    });
    const result = await client.json({ path: 'headers', schema, headers: { 'x-folder': '42' } });
    expect(result.headers.get('x-total-records')).toBe('42');
    expect(refused).toEqual(['Bearer one']);
  });
});
