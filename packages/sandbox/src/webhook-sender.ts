/** One webhook delivery a simulator rendered in its vendor's real shape, ready to send. */
export interface RenderedWebhook {
  /** Default `POST`; `GET` for redirect-style callbacks (SigningHub's legacy one). */
  method?: 'POST' | 'GET';
  headers: Record<string, string>;
  body?: string;
  /** Appended to the URL's query. */
  query?: Record<string, string>;
  /** The vendor's name of the event (`doc_signed`, `1`, `SIGNED`…), for the test's bookkeeping only. */
  eventType: string;
  /** The vendor's id of the process the delivery is about. */
  processId: string;
}

/** One webhook delivery a simulator sent, with the receiver's answer. */
export interface WebhookDelivery {
  eventType: string;
  processId: string;
  status: number;
}

/**
 * Sends rendered deliveries to `url` one after another, in order (vendors do not reorder one process's
 * webhooks), and collects each answer's status. Iterated lazily, so a renderer that stamps the time of
 * sending (Taktikal) stamps each delivery just before it goes out.
 */
export async function sendWebhookDeliveries(
  url: string,
  deliveries: Iterable<RenderedWebhook>,
): Promise<WebhookDelivery[]> {
  const sent: WebhookDelivery[] = [];
  for (const delivery of deliveries) {
    const target = new URL(url);
    for (const [name, value] of Object.entries(delivery.query ?? {})) target.searchParams.append(name, value);
    const method = delivery.method ?? 'POST';
    const response = await fetch(target, {
      method,
      headers: delivery.headers,
      body: method === 'GET' ? undefined : delivery.body,
    });
    // The answer's body is of no interest; reading it to the end frees the connection for the next one.
    await response.arrayBuffer();
    sent.push({ eventType: delivery.eventType, processId: delivery.processId, status: response.status });
  }
  return sent;
}
