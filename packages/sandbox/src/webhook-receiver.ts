import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebhookRequest, type WebhookResult, WebhookVerificationError } from '@signtrail/core';
import { randomSecret } from './harness.js';
import type { Story } from './stories.js';
import type { VendorSimulator } from './vendor-simulator.js';
import type { WebhookDelivery } from './webhook-sender.js';

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

/** What `exchangeWebhooks` sent and what the receiving parser made of it. */
export interface WebhookExchange {
  /** Every delivery for the stories, each answered 200 by a parser holding the simulator's secret. */
  deliveries: WebhookDelivery[];
  /** What that parser read, one result per delivery, in order. */
  results: WebhookResult[];
}

/**
 * For adapter tests: sends a simulator's webhooks for `stories` to a loopback receiver parsing with
 * `parserFor(credentials.webhookSecret)`, and the first story's to one parsing with a random secret. Throws,
 * naming the delivery, unless every delivery verifies and names its own process in `reread`, and every
 * impostor delivery is refused (401) and read by nobody. Receivers are closed; the simulator stays up.
 */
export async function exchangeWebhooks(
  simulator: Pick<VendorSimulator, 'credentials' | 'sendWebhooks'>,
  stories: Story[],
  parserFor: (secret: string) => (request: WebhookRequest) => Promise<WebhookResult>,
): Promise<WebhookExchange> {
  const secret = simulator.credentials.webhookSecret;
  if (!simulator.sendWebhooks || secret === undefined) throw new Error('this simulator sends no webhooks');
  const receiver = await startWebhookReceiver(parserFor(secret));
  const impostor = await startWebhookReceiver(parserFor(randomSecret()));
  try {
    const deliveries = await simulator.sendWebhooks(receiver.url, { stories });
    if (deliveries.length === 0) throw new Error('no webhook was sent');
    deliveries.forEach((delivery, n) => {
      const reread = receiver.results[n]?.reread;
      if (delivery.status !== 200 || reread?.length !== 1 || reread[0] !== delivery.processId) {
        throw new Error(
          `delivery ${n} (${delivery.eventType}) answered ${delivery.status}, re-reading ${JSON.stringify(reread)} instead of ${delivery.processId}`,
        );
      }
    });
    const refused = await simulator.sendWebhooks(impostor.url, { stories: stories.slice(0, 1) });
    const accepted = refused.filter((delivery) => delivery.status !== 401);
    if (refused.length === 0 || accepted.length > 0 || impostor.results.length > 0) {
      throw new Error(`a wrong secret was not refused: ${JSON.stringify(accepted)}`);
    }
    return { deliveries, results: receiver.results };
  } finally {
    await Promise.all([receiver.close(), impostor.close()]);
  }
}
