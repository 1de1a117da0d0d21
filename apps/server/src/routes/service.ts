import type { App, ServerContext } from '../context.js';
import { problemResponse } from '../problem.js';

/** `/healthz`, `/readyz` (database reachable) and `/metrics` (Prometheus text). */
export function registerServiceRoutes(app: App, { store, metrics, logger }: ServerContext): void {
  app.get('/healthz', (c) => c.json({ status: 'ok' }));

  app.get('/readyz', async (c) => {
    try {
      await store.pendingWebhooks();
      return c.json({ status: 'ready', driver: store.driver });
    } catch {
      logger.warn('readiness check: database unreachable');
      return problemResponse(c, 'unavailable', 'the database does not answer');
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

  app.get('/metrics', async (c) =>
    c.body(await metrics.render(), 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }),
  );
}
