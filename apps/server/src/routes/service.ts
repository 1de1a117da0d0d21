import { createRoute, z } from '@hono/zod-openapi';
import type { App, ServerContext } from '../context.js';
import { problemResponse } from '../problem.js';
import { noQuerySchema } from '../schemas.js';
import { untyped } from '../untyped.js';
import { jsonResponse, problemResponse as problemResponseDoc, publicProblemResponses } from './responses.js';

const health = createRoute({
  method: 'get',
  path: '/healthz',
  operationId: 'health',
  summary: 'Liveness: the process answers',
  request: { query: noQuerySchema },
  responses: {
    200: jsonResponse('Alive', z.object({ status: z.literal('ok') })),
    ...publicProblemResponses,
  },
});

const ready = createRoute({
  method: 'get',
  path: '/readyz',
  operationId: 'ready',
  summary: 'Readiness: the database answers',
  request: { query: noQuerySchema },
  responses: {
    200: jsonResponse('Ready', z.object({ status: z.literal('ready'), driver: z.string() })),
    ...publicProblemResponses,
    503: problemResponseDoc('The database does not answer'),
  },
});

const metricsRoute = createRoute({
  method: 'get',
  path: '/metrics',
  operationId: 'metrics',
  summary: 'Prometheus metrics (text exposition format 0.0.4)',
  request: { query: noQuerySchema },
  responses: {
    200: { description: 'Every metric', content: { 'text/plain': { schema: z.string() } } },
    ...publicProblemResponses,
  },
});

/** `/healthz`, `/readyz` (database reachable) and `/metrics` (Prometheus text). */
export function registerServiceRoutes(app: App, { store, metrics, logger }: ServerContext): void {
  app.openapi(health, (c) => c.json({ status: 'ok' as const }, 200));

  app.openapi(ready, async (c) => {
    try {
      await store.pendingWebhooks();
      return c.json({ status: 'ready' as const, driver: store.driver }, 200);
    } catch {
      logger.warn('readiness check: database unreachable');
      return untyped(problemResponse(c, 'unavailable', 'the database does not answer'));
    }
  });

  metrics.collect(async () => {
    metrics.set(
      'signtrail_webhook_inbox_pending',
      'Webhook deliveries not processed yet.',
      {},
      await store.pendingWebhooks(),
    );
    for (const tenant of await store.connectedTenants()) {
      for (const { vendor } of await store.listConnections(tenant)) {
        const state = await store.getSyncState(tenant, vendor);
        if (state?.cursor === undefined) continue;
        const lag = (Date.now() - Date.parse(state.cursor)) / 1000;
        metrics.set('signtrail_sync_lag_seconds', 'Seconds since the sync cursor.', { tenant, vendor }, lag);
      }
    }
  });

  app.openapi(metricsRoute, async (c) =>
    untyped(
      c.body(await metrics.render(), 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }),
    ),
  );
}
