import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebhookRequest, type WebhookResult, WebhookVerificationError } from '@signtrail/core';

/** A running loopback webhook receiver and what it made of each request, in arrival order. */
export interface WebhookReceiver {
  url: string;
  /** Results of the requests `parse` accepted (answered 200). */
  results: WebhookResult[];
  /** Statuses answered, one per request: 200, 401 (verification failed) or 400 (anything else thrown). */
  statuses: number[];
  close(): Promise<void>;
}

/**
 * Starts an HTTP receiver on 127.0.0.1 (random port) for tests: each request goes to `parse` (an adapter's
 * `parseWebhook`) as a `WebhookRequest` (headers as strings, body as text, query as a record); accepted
 * ones answer 200, a `WebhookVerificationError` 401 and any other error 400, like SignTrail's server.
 */
export async function startWebhookReceiver(
  parse: (request: WebhookRequest) => Promise<WebhookResult>,
): Promise<WebhookReceiver> {
  const results: WebhookResult[] = [];
  const statuses: number[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    let status = 200;
    try {
      const result = await parse({
        method: req.method ?? 'POST',
        headers,
        body: Buffer.concat(chunks).toString('utf8'),
        query: Object.fromEntries(url.searchParams),
      });
      results.push(result);
    } catch (error) {
      status = error instanceof WebhookVerificationError ? 401 : 400;
    }
    statuses.push(status);
    res.writeHead(status).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`,
    results,
    statuses,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
