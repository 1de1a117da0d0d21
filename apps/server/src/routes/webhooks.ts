import { createRoute, z } from '@hono/zod-openapi';
import { VendorSchemaError, type WebhookResult } from '@signtrail/core';
import { bodyLimit } from 'hono/body-limit';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { App, ServerContext } from '../context.js';
import { problemResponse } from '../problem.js';
import { untyped } from '../untyped.js';
import { VENDORS } from '../vendor-sources.js';
import { isVerificationError } from '../verification.js';
import { errorCode, errorSummary } from '../webhook-worker.js';
import { problemResponse as problemResponseDoc } from './responses.js';

/** Largest webhook body: Taktikal posts signed documents as base64. */
export const WEBHOOK_BODY_LIMIT = 64 * 1024 * 1024;

const params = z.object({
  vendor: z
    .string()
    .min(1)
    .openapi({
      param: { name: 'vendor', in: 'path' },
      description: `one of ${VENDORS.join(', ')}`,
      example: 'zapsign',
    }),
  connectionId: z
    .string()
    .min(1)
    .openapi({ param: { name: 'connectionId', in: 'path' } }),
});
// 200, not 202: Taktikal retries twice on any other answer (field notes).
const responses = {
  200: {
    description:
      'Verified and committed to the inbox, processed in the background; or a replay of a delivery already committed',
    content: {
      'application/json': {
        schema: z.object({
          accepted: z.literal(true),
          delivery: z.string(),
          duplicate: z.literal(true).optional().openapi({
            description:
              'A replay: the delivery with the same key was committed before; nothing new is stored',
          }),
        }),
      },
    },
  },
  400: problemResponseDoc('Unreadable delivery'),
  401: problemResponseDoc('Signature or secret wrong'),
  404: problemResponseDoc('Unknown vendor (`unsupported-vendor`) or connection (`not-found`)'),
  406: problemResponseDoc('Refused for good, answered to a vendor that stops retrying on 406 (Taktikal)'),
  413: problemResponseDoc('Body too large (webhook bodies: 64 MB)'),
  500: problemResponseDoc('Internal error; the server log has the request id'),
};

const KNOWN_VENDORS: ReadonlySet<string> = new Set(VENDORS);

/**
 * The vendor as metrics and logs may name it: a known one, else `unknown`. The path is the caller's input
 * (anything, an e-mail address even): used as a label it would grow the series without bound.
 */
export function vendorLabel(vendor: string | undefined): string {
  return vendor !== undefined && KNOWN_VENDORS.has(vendor) ? vendor : 'unknown';
}

const receiveRoute = (method: 'post' | 'get') =>
  createRoute({
    method,
    path: '/v1/webhooks/{vendor}/{connectionId}',
    operationId: method === 'post' ? 'receiveWebhook' : 'receiveWebhookRedirect',
    summary:
      method === 'post'
        ? "Receives a vendor's webhook for one connection"
        : 'Receives a GET-style callback (SigningHub legacy redirect)',
    description: 'Verified per adapter, committed to a durable inbox before the 2xx answer, then processed.',
    request: { params },
    responses,
  });

const REJECTIONS = 'signtrail_webhook_rejections_total';
const REJECTIONS_HELP = 'Webhook deliveries rejected, by reason.';
const REPLAYS = 'signtrail_webhook_replays_total';
const REPLAYS_HELP =
  'Verified webhook deliveries already in the inbox (same delivery key), answered and not stored.';

/**
 * `POST|GET /v1/webhooks/{vendor}/{connectionId}`: verify, commit to the inbox, answer, process later. A
 * delivery whose key the connection's inbox already holds is a replay: answered 200, stored once.
 */
export function registerWebhookRoutes(app: App, context: ServerContext): void {
  const { store, metrics, logger, adapters } = context;

  app.use(
    '/v1/webhooks/*',
    bodyLimit({
      maxSize: WEBHOOK_BODY_LIMIT,
      onError: (c) => {
        // A middleware has no route parameters: the vendor is the path's third segment.
        metrics.inc(REJECTIONS, REJECTIONS_HELP, {
          vendor: vendorLabel(c.req.path.split('/')[3]),
          reason: 'too_large',
        });
        return untyped(
          problemResponse(
            c,
            'payload-too-large',
            `webhook bodies are limited to ${WEBHOOK_BODY_LIMIT} bytes`,
          ),
        );
      },
    }),
  );

  for (const method of ['post', 'get'] as const) {
    app.openapi(receiveRoute(method), async (c) => {
      const { vendor, connectionId } = c.req.valid('param');
      const label = vendorLabel(vendor);
      const log = logger.child({ requestId: c.get('requestId'), vendor: label });
      const reject = (reason: string) => {
        metrics.inc(REJECTIONS, REJECTIONS_HELP, { vendor: label, reason });
        log.warn({ reason }, 'webhook rejected');
      };
      if (label === 'unknown') {
        reject('unsupported_vendor');
        return untyped(problemResponse(c, 'unsupported-vendor', `vendors: ${VENDORS.join(', ')}`));
      }
      const connection = await store.webhookConnection(vendor, connectionId);
      if (!connection) {
        adapters.forget(vendor, connectionId);
        reject('unknown_connection');
        return untyped(problemResponse(c, 'not-found', 'no such webhook connection'));
      }
      const receiver = await adapters(connection);
      if (!receiver.parseWebhook) {
        reject('unsupported');
        return untyped(problemResponse(c, 'not-found', 'this vendor sends no webhooks'));
      }
      const query = c.req.query();
      const request = { method: c.req.method, headers: c.req.header(), body: await c.req.text(), query };
      let result: WebhookResult;
      // A delivery refused for good gets the status its vendor reads as "do not retry", where it has one.
      const refusal = receiver.webhookRefusalStatus as ContentfulStatusCode | undefined;
      try {
        result = await receiver.parseWebhook(request);
      } catch (error) {
        if (isVerificationError(error)) {
          reject('verification');
          return untyped(
            problemResponse(c, 'webhook-rejected', 'the delivery failed verification', undefined, refusal),
          );
        }
        reject(errorCode(error));
        log.warn({ err: errorSummary(error) }, 'webhook unreadable');
        return untyped(problemResponse(c, 'invalid-request', unreadableDetail(error), 'body', refusal));
      }
      // Secrets travel in headers or in the query; neither is kept.
      const { secret: _secret, ...storedQuery } = query;
      const { id: delivery, duplicate } = await store.enqueueWebhook({
        tenant: connection.tenant,
        vendor,
        connectionId,
        request: { method: request.method, body: request.body, query: storedQuery },
        result,
      });
      if (duplicate) {
        // Answered 200 like the original (Taktikal retries anything else); the inbox already holds it.
        metrics.inc(REPLAYS, REPLAYS_HELP, { vendor });
        log.info({ delivery }, 'webhook replay');
        return c.json({ accepted: true as const, delivery, duplicate: true as const }, 200);
      }
      metrics.inc('signtrail_webhooks_received_total', 'Webhook deliveries committed to the inbox.', {
        vendor,
      });
      // Committed: its own events are stored at once (DESIGN), its re-reads wait their turn in the worker.
      context.worker.received({ id: delivery, tenant: connection.tenant, vendor, result });
      return c.json({ accepted: true as const, delivery }, 200);
    });
  }
}

/**
 * What was wrong with an unreadable delivery, for its sender: a schema error's path and expectation (they
 * hold no value of the body, so no personal data), else a generic line.
 */
function unreadableDetail(error: unknown): string {
  if (error instanceof VendorSchemaError) {
    return `the delivery could not be read: at ${error.path || '$'} expected ${error.expected}`;
  }
  return 'the delivery could not be read';
}
