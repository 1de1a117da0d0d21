import { type WebhookRequest, WebhookVerificationError } from '@signtrail/core';
import { afterEach, describe, expect, it } from 'vitest';
import { generateStories, type Story } from './stories.js';
import { exchangeWebhooks, startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';
import { sendWebhookDeliveries } from './webhook-sender.js';

let receiver: WebhookReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

describe('sendWebhookDeliveries and startWebhookReceiver', () => {
  it('sends POST and GET deliveries in order with their headers, body and query, collecting statuses', async () => {
    const seen: WebhookRequest[] = [];
    receiver = await startWebhookReceiver(async (request) => {
      seen.push(request);
      if (request.headers['x-secret'] !== 'right') throw new WebhookVerificationError('demo', 'wrong secret');
      if (request.body === 'not json') throw new SyntaxError('unreadable');
      return { events: [], warnings: [], reread: [request.query?.document_id ?? request.body] };
    });
    const deliveries = await sendWebhookDeliveries(`${receiver.url}?connection=c1`, [
      { headers: { 'x-secret': 'right' }, body: 'p1', eventType: 'first', processId: 'p1' },
      {
        method: 'GET',
        headers: { 'x-secret': 'right' },
        query: { document_id: '42', language: 'en-US' },
        eventType: 'second',
        processId: '42',
      },
      { headers: { 'x-secret': 'wrong' }, body: 'p3', eventType: 'third', processId: 'p3' },
      { headers: { 'x-secret': 'right' }, body: 'not json', eventType: 'fourth', processId: 'p4' },
    ]);
    expect(deliveries).toEqual([
      { eventType: 'first', processId: 'p1', status: 200 },
      { eventType: 'second', processId: '42', status: 200 },
      { eventType: 'third', processId: 'p3', status: 401 },
      { eventType: 'fourth', processId: 'p4', status: 400 },
    ]);
    expect(receiver.statuses).toEqual([200, 200, 401, 400]);
    expect(receiver.results.map((result) => result.reread)).toEqual([['p1'], ['42']]);
    expect(seen.map(({ method, body, query }) => ({ method, body, query }))).toEqual([
      { method: 'POST', body: 'p1', query: { connection: 'c1' } },
      { method: 'GET', body: '', query: { connection: 'c1', document_id: '42', language: 'en-US' } },
      { method: 'POST', body: 'p3', query: { connection: 'c1' } },
      { method: 'POST', body: 'not json', query: { connection: 'c1' } },
    ]);
  });

  it('renders lazily: each delivery is taken just before it is sent', async () => {
    receiver = await startWebhookReceiver(async () => ({ events: [], warnings: [], reread: [] }));
    const { statuses } = receiver;
    const answeredAtRender: number[] = [];
    function* lazy() {
      for (const n of [1, 2, 3]) {
        answeredAtRender.push(statuses.length);
        yield { headers: {}, body: String(n), eventType: 'x', processId: `p${n}` };
      }
    }
    const deliveries = await sendWebhookDeliveries(receiver.url, lazy());
    expect(deliveries.map((d) => d.status)).toEqual([200, 200, 200]);
    expect(answeredAtRender).toEqual([0, 1, 2]);
  });
});

describe('exchangeWebhooks', () => {
  const stories = generateStories({ seed: 3, processes: 2 });
  // A stand-in simulator: one delivery per story, the secret in a header.
  const simulator = {
    credentials: { webhookSecret: 'right' },
    sendWebhooks: (url: string, options?: { stories?: Story[] }) =>
      sendWebhookDeliveries(
        url,
        (options?.stories ?? stories).map((story) => ({
          headers: { 'x-secret': 'right' },
          body: story.processId,
          eventType: 'created',
          processId: story.processId,
        })),
      ),
  };
  const checking =
    (reread: (body: string) => string) => (secret: string) => async (request: WebhookRequest) => {
      if (request.headers['x-secret'] !== secret) throw new WebhookVerificationError('demo', 'wrong secret');
      return { events: [], warnings: [], reread: [reread(request.body)] };
    };

  it('returns every delivery and result when the parser verifies and names each process', async () => {
    const { deliveries, results } = await exchangeWebhooks(
      simulator,
      stories,
      checking((body) => body),
    );
    expect(deliveries.map((d) => [d.processId, d.status])).toEqual(stories.map((s) => [s.processId, 200]));
    expect(results.map((r) => r.reread)).toEqual(stories.map((s) => [s.processId]));
  });

  it('fails, naming the delivery, when a parser re-reads another process or accepts a wrong secret', async () => {
    await expect(
      exchangeWebhooks(
        simulator,
        stories,
        checking(() => 'elsewhere'),
      ),
    ).rejects.toThrow(/delivery 0 \(created\) answered 200, re-reading \["elsewhere"\]/);
    const gullible = () => async () => ({ events: [], warnings: [], reread: [stories[0]!.processId] });
    await expect(exchangeWebhooks(simulator, stories.slice(0, 1), gullible)).rejects.toThrow(
      /a wrong secret was not refused/,
    );
  });
});
