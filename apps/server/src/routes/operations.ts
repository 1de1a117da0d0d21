import { createRoute, z } from '@hono/zod-openapi';
import type { App, ServerContext } from '../context.js';
import { ProblemError } from '../problem.js';
import { noQuerySchema, syncRequestSchema } from '../schemas.js';
import {
  bearer,
  bodyProblemResponses,
  jsonResponse,
  notFoundResponse,
  problemResponses,
} from './responses.js';

const triggerSync = createRoute({
  method: 'post',
  path: '/v1/sync',
  operationId: 'triggerSync',
  summary: "Syncs the tenant's vendor connections now",
  description: 'Another instance syncing the same connection makes this one skip (PostgreSQL advisory lock).',
  security: bearer,
  request: {
    query: noQuerySchema,
    body: { content: { 'application/json': { schema: syncRequestSchema } }, required: false },
  },
  responses: {
    200: jsonResponse(
      'Finished syncs (wait: true)',
      z.object({ runs: z.array(z.looseObject({ vendor: z.string() })) }),
    ),
    202: jsonResponse('Started', z.object({ started: z.array(z.string()) })),
    ...problemResponses,
    ...notFoundResponse,
    ...bodyProblemResponses,
  },
});

const syncStatus = createRoute({
  method: 'get',
  path: '/v1/sync/status',
  operationId: 'syncStatus',
  summary: 'Cursor and last run of every vendor connection',
  security: bearer,
  request: { query: noQuerySchema },
  responses: {
    200: jsonResponse(
      'Per connection',
      z.object({ connections: z.array(z.looseObject({ vendor: z.string() })) }),
    ),
    ...problemResponses,
  },
});

/** `POST /v1/sync` and `GET /v1/sync/status`. */
export function registerSyncRoutes(app: App, { store, scheduler }: ServerContext): void {
  app.openapi(triggerSync, async (c) => {
    const body = (await c.req.text()) === '' ? {} : await c.req.json().catch(() => undefined);
    const parsed = syncRequestSchema.safeParse(body);
    if (!parsed.success) {
      throw new ProblemError('invalid-request', 'body must be {"vendor"?: string, "wait"?: boolean}', 'body');
    }
    const tenant = c.get('tenant');
    const connections = (await store.listConnections(tenant)).map((connection) => connection.vendor);
    const { vendor, wait } = parsed.data;
    if (vendor !== undefined && !connections.includes(vendor)) {
      throw new ProblemError('not-found', 'no connection to that vendor');
    }
    const run = scheduler.run(tenant, vendor);
    if (wait) {
      const runs = await run;
      return c.json(
        {
          runs: runs.map(({ vendor: v, result, error }) => ({
            vendor: v,
            ...(result ?? {}),
            ...(error ? { error } : {}),
          })),
        },
        200,
      );
    }
    run.catch(() => {});
    return c.json({ started: vendor !== undefined ? [vendor] : connections }, 202);
  });

  app.openapi(syncStatus, async (c) => {
    const tenant = c.get('tenant');
    const runs = new Map(scheduler.status(tenant).map((status) => [status.vendor, status]));
    const connections = await Promise.all(
      (await store.listConnections(tenant)).map(async ({ vendor }) => {
        const state = await store.getSyncState(tenant, vendor);
        const run = runs.get(vendor);
        return {
          vendor,
          ...(state?.cursor !== undefined ? { cursor: state.cursor } : {}),
          ...(state?.walk !== undefined ? { walk: state.walk } : {}),
          running: run?.running ?? false,
          ...(run ? { lastRun: run } : {}),
        };
      }),
    );
    return c.json({ connections }, 200);
  });
}
