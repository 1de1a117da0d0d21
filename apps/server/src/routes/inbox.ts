import { createRoute, z } from '@hono/zod-openapi';
import type { App, ServerContext } from '../context.js';
import { inboxEntrySchema, inboxQuerySchema } from '../schemas.js';
import { bearer, jsonResponse, problemResponses } from './responses.js';

const listInbox = createRoute({
  method: 'get',
  path: '/v1/inbox',
  operationId: 'listInbox',
  summary: "The tenant's received webhook deliveries, newest first",
  description:
    'How each delivery stands (pending, processed, failed and retried, or given up with an error code), so a lost signal can be chased. Bodies are never shown.',
  security: bearer,
  request: { query: inboxQuerySchema },
  responses: {
    200: jsonResponse(
      'A page of deliveries',
      z.object({ deliveries: z.array(inboxEntrySchema), limit: z.number(), offset: z.number() }),
    ),
    ...problemResponses,
  },
});

/** `GET /v1/inbox`. */
export function registerInboxRoutes(app: App, { store }: ServerContext): void {
  app.openapi(listInbox, async (c) => {
    const query = c.req.valid('query');
    const offset = query.offset ?? 0;
    const entries = await store.listInbox({
      tenant: c.get('tenant'),
      ...(query.status ? { status: query.status } : {}),
      withError: query.errors === 'true',
      limit: query.limit,
      offset,
    });
    const deliveries = entries.map(({ receivedAt, processedAt, ...entry }) => ({
      ...entry,
      receivedAt: receivedAt.toISOString(),
      ...(processedAt ? { processedAt: processedAt.toISOString() } : {}),
    }));
    return c.json({ deliveries, limit: query.limit, offset }, 200);
  });
}
