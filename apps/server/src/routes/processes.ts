import { createRoute, z } from '@hono/zod-openapi';
import type { ProcessRecord } from '@signtrail/store';
import type { App, ServerContext } from '../context.js';
import { toEventFilters } from '../filters.js';
import { toCsv, toNdjson } from '../formats.js';
import { ProblemError } from '../problem.js';
import {
  eventSchema,
  exportQuerySchema,
  processParamsSchema,
  processQuerySchema,
  processSchema,
  processTimelineQuerySchema,
} from '../schemas.js';
import { untyped } from '../untyped.js';
import { bearer, jsonResponse, notFoundResponse, problemResponses } from './responses.js';

const listProcesses = createRoute({
  method: 'get',
  path: '/v1/processes',
  operationId: 'listProcesses',
  summary: 'Processes with their state, most recent activity first',
  security: bearer,
  request: { query: processQuerySchema },
  responses: {
    200: jsonResponse(
      'A page of processes',
      z.object({
        processes: z.array(processSchema),
        total: z.number(),
        limit: z.number(),
        offset: z.number(),
      }),
    ),
    ...problemResponses,
  },
});

const getProcess = createRoute({
  method: 'get',
  path: '/v1/processes/{vendor}/{processId}',
  operationId: 'getProcess',
  summary: "One process's state and timeline",
  security: bearer,
  request: { params: processParamsSchema, query: processTimelineQuerySchema },
  responses: {
    200: jsonResponse(
      'State and timeline',
      z.object({ process: processSchema, events: z.array(eventSchema) }),
    ),
    ...problemResponses,
    ...notFoundResponse,
  },
});

const exportProcess = createRoute({
  method: 'get',
  path: '/v1/processes/{vendor}/{processId}/export',
  operationId: 'exportProcess',
  summary: "One process's timeline as JSON, NDJSON or CSV",
  security: bearer,
  request: { params: processParamsSchema, query: exportQuerySchema },
  responses: {
    200: {
      description: 'The timeline',
      content: {
        'application/json': { schema: z.object({ process: processSchema, events: z.array(eventSchema) }) },
        'application/x-ndjson': { schema: z.string() },
        'text/csv': { schema: z.string() },
      },
    },
    ...problemResponses,
    ...notFoundResponse,
  },
});

/** `GET /v1/processes`, one process, and its export. */
export function registerProcessRoutes(app: App, { store }: ServerContext): void {
  app.openapi(listProcesses, async (c) => {
    const query = c.req.valid('query');
    const offset = query.offset ?? 0;
    const page = await store.listProcesses({
      ...toEventFilters(c.get('tenant'), query),
      limit: query.limit,
      offset,
    });
    return c.json(
      { processes: page.processes.map(processJson), total: page.total, limit: query.limit, offset },
      200,
    );
  });

  async function findProcess(tenant: string, vendor: string, processId: string, timeline?: 'true' | 'false') {
    const found = await store.getProcess(tenant, vendor, processId);
    // Another tenant's process is indistinguishable from a missing one.
    if (!found) throw new ProblemError('not-found', 'no such process');
    // The whole record by default (a confirmed webhook event says which log event it repeats), as on /v1/events.
    const events =
      timeline === 'true' ? found.events.filter((e) => e.confirmedBy === undefined) : found.events;
    return { process: processJson(found.process), events };
  }

  app.openapi(getProcess, async (c) => {
    const { vendor, processId } = c.req.valid('param');
    const { timeline } = c.req.valid('query');
    return c.json(await findProcess(c.get('tenant'), vendor, processId, timeline), 200);
  });

  app.openapi(exportProcess, async (c) => {
    const { vendor, processId } = c.req.valid('param');
    const { format, timeline } = c.req.valid('query');
    const found = await findProcess(c.get('tenant'), vendor, processId, timeline);
    const name = `${vendor}-${processId}`.replace(/[^\w.-]/g, '_');
    const disposition = (ext: string) => ({ 'content-disposition': `attachment; filename="${name}.${ext}"` });
    if (format === 'csv') {
      return untyped(
        c.body(toCsv(found.events), 200, {
          'content-type': 'text/csv; charset=utf-8',
          ...disposition('csv'),
        }),
      );
    }
    if (format === 'ndjson') {
      return untyped(
        c.body(toNdjson(found.events), 200, {
          'content-type': 'application/x-ndjson',
          ...disposition('ndjson'),
        }),
      );
    }
    return c.json(found, 200, disposition('json'));
  });
}

function processJson(record: ProcessRecord) {
  return {
    ...record,
    state: record.state as unknown as Record<string, unknown>,
    updatedAt: record.updatedAt.toISOString(),
  };
}
