import { createRoute, z } from '@hono/zod-openapi';
import type { App, ServerContext } from '../context.js';
import { toEventFilters } from '../filters.js';
import { CLOUDEVENTS_BATCH, toCloudEvent } from '../formats.js';
import { ProblemError } from '../problem.js';
import { eventPageSchema, eventQuerySchema, eventTotalQuerySchema } from '../schemas.js';
import { untyped } from '../untyped.js';
import { bearer, jsonResponse, problemResponses } from './responses.js';

const listEvents = createRoute({
  method: 'get',
  path: '/v1/events',
  operationId: 'listEvents',
  summary: 'Activity across processes and vendors in a window',
  description: `Offset paging or keyset cursor paging (stable under inserts); \`total=true\` adds the count of every match. Send \`Accept: ${CLOUDEVENTS_BATCH}\` for a CloudEvents 1.0 batch.`,
  security: bearer,
  request: { query: eventQuerySchema },
  responses: {
    200: {
      description: 'A page of events',
      // A CloudEvents batch is a bare array: its paging travels in these headers.
      headers: z.object({
        'x-next-cursor': z.string().optional().openapi({
          description: 'CloudEvents batch: the nextCursor of the page (absent on the last page)',
        }),
        'x-total-count': z.string().optional().openapi({
          description: 'CloudEvents batch with total=true: every match counted',
        }),
      }),
      content: {
        'application/json': { schema: eventPageSchema },
        [CLOUDEVENTS_BATCH]: { schema: z.array(z.looseObject({ specversion: z.literal('1.0') })) },
      },
    },
    ...problemResponses,
  },
});

const totalEvents = createRoute({
  method: 'get',
  path: '/v1/events/total',
  operationId: 'countEvents',
  summary: 'How many events match the filters',
  security: bearer,
  request: { query: eventTotalQuerySchema },
  responses: { 200: jsonResponse('The total', z.object({ total: z.number() })), ...problemResponses },
});

/** `GET /v1/events` and `GET /v1/events/total`. */
export function registerEventRoutes(app: App, { store }: ServerContext): void {
  app.openapi(listEvents, async (c) => {
    const query = c.req.valid('query');
    if (query.cursor !== undefined && query.offset !== undefined) {
      throw new ProblemError('invalid-request', 'page by offset or by cursor, not both', 'cursor');
    }
    const filters = toEventFilters(c.get('tenant'), query);
    const paging = {
      limit: query.limit,
      order: query.order,
      withTotal: query.total === 'true',
      ...(query.cursor !== undefined ? { cursor: query.cursor } : { offset: query.offset ?? 0 }),
    };
    if ((c.req.header('accept') ?? '').includes(CLOUDEVENTS_BATCH)) {
      const page = await store.queryEvents({ ...filters, ...paging });
      const headers: Record<string, string> = { 'content-type': CLOUDEVENTS_BATCH };
      if (page.nextCursor !== undefined) headers['x-next-cursor'] = page.nextCursor;
      if (page.total !== undefined) headers['x-total-count'] = String(page.total);
      return untyped(c.body(JSON.stringify(page.events.map(toCloudEvent)), 200, headers));
    }
    // The database serializes the events: the page is written around them, never parsed in between.
    const page = await store.queryEventsJson({ ...filters, ...paging });
    const rest = JSON.stringify({
      limit: query.limit,
      ...(query.cursor === undefined ? { offset: query.offset ?? 0 } : {}),
      ...(page.total !== undefined ? { total: page.total } : {}),
      ...(page.nextCursor !== undefined ? { nextCursor: page.nextCursor } : {}),
    });
    const body = `{"events":${page.json},${rest.slice(1)}`;
    return untyped(c.body(body, 200, { 'content-type': 'application/json' }));
  });

  app.openapi(totalEvents, async (c) => {
    const total = await store.countEvents(toEventFilters(c.get('tenant'), c.req.valid('query')));
    return c.json({ total }, 200);
  });
}
