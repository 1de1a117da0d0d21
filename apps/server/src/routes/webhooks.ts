import { createRoute, z } from '@hono/zod-openapi';
import type { WebhookResult } from '@signtrail/core';
import { bodyLimit } from 'hono/body-limit';
import type { App, ServerContext } from '../context.js';
import { problemResponse } from '../problem.js';
import { problemSchema } from '../schemas.js';
import { untyped } from '../untyped.js';
import { isVerificationError } from '../verification.js';
import { errorCode, errorSummary } from '../webhook-worker.js';

/** Largest webhook body: Taktikal posts signed documents as base64. */
export const WEBHOOK_BODY_LIMIT = 64 * 1024 * 1024;

const params = z.object({
  vendor: z
    .string()
    .min(1)
    .openapi({ param: { name: 'vendor', in: 'path' }, example: 'zapsign' }),
  connectionId: z
    .string()
    .min(1)
    .openapi({ param: { name: 'connectionId', in: 'path' } }),
});
const problemContent = { 'application/problem+json': { schema: problemSchema } };
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
  400: { description: 'Unreadable delivery', content: problemContent },
  401: { description: 'Signature or secret wrong', content: problemContent },
  404: { description: 'Unknown connection', content: problemContent },
  413: { description: 'Body too large', content: problemContent },
};

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
        metrics.inc(REJECTIONS, REJECTIONS_HELP, {
          vendor: c.req.param('vendor') ?? 'unknown',
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
      const log = logger.child({ requestId: c.get('requestId'), vendor });
      const reject = (reason: string) => {
        metrics.inc(REJECTIONS, REJECTIONS_HELP, { vendor, reason });
        log.warn({ reason }, 'webhook rejected');
      };
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
      try {
        result = await receiver.parseWebhook(request);
      } catch (error) {
        if (isVerificationError(error)) {
          reject('verification');
          return untyped(problemResponse(c, 'webhook-rejected', 'the delivery failed verification'));
        }
        reject(errorCode(error));
        log.warn({ err: errorSummary(error) }, 'webhook unreadable');
        return untyped(problemResponse(c, 'invalid-request', 'the delivery could not be read'));
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
      context.worker.nudge();
      return c.json({ accepted: true as const, delivery }, 200);
    });
  }
}
