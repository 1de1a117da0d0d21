import { type WebhookRequest, WebhookVerificationError } from '@signtrail/core';
import { afterEach, describe, expect, it } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';
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
