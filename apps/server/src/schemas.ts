import { z } from '@hono/zod-openapi';
import { PROCESS_STATUSES, TAXONOMY } from '@signtrail/core';

/** A parameter that may be given several times (`type=a&type=b`); also accepts one comma-separated value. */
function repeatable<T extends z.ZodType<string, string>>(item: T) {
  return z
    .union([z.string(), z.array(z.string())])
    .transform((value) => (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(',')))
    .pipe(z.array(item).min(1));
}

const timestamp = (description: string) =>
  z.string().min(1).openapi({ description, example: '2024-01-01T00:00:00Z' });

/** `timeline=true`: each happening once, webhook events confirmed by a log event left out. */
function timelineParam() {
  return z
    .enum(['true', 'false'])
    .optional()
    .openapi({ description: 'true: each happening once (webhook events confirmed by the log left out)' });
}

const filterShape = {
  vendor: repeatable(z.string().min(1)).optional().openapi({ description: 'vendor name (repeatable)' }),
  processId: z.string().min(1).optional().openapi({ description: "the vendor's process key" }),
  signer: z.string().min(1).optional().openapi({ description: 'signer id or e-mail' }),
  user: z
    .string()
    .min(1)
    .optional()
    .openapi({ description: 'user actor (sender, owner): e-mail, id or name' }),
  type: repeatable(z.enum(TAXONOMY)).optional().openapi({ description: 'event type (repeatable)' }),
  status: repeatable(z.enum(PROCESS_STATUSES))
    .optional()
    .openapi({ description: 'current process status (repeatable)' }),
  q: z.string().optional().openapi({ description: 'free text; every word is a prefix' }),
  timeline: timelineParam(),
};

const pagingShape = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(100)
    .openapi({ description: 'page size, 1 – 1000' }),
  offset: z.coerce.number().int().min(0).optional().openapi({ description: 'offset paging' }),
};

/** Query of `GET /v1/events`: a required window, filters, and offset or cursor paging. */
export const eventQuerySchema = z.strictObject({
  from: timestamp('inclusive start of the window (RFC 3339)'),
  to: timestamp('exclusive end of the window (RFC 3339); must be after from'),
  ...filterShape,
  ...pagingShape,
  cursor: z.string().min(1).optional().openapi({ description: 'nextCursor of the previous page (keyset)' }),
  order: z.enum(['asc', 'desc']).default('asc'),
  total: z.enum(['true', 'false']).optional().openapi({
    description:
      'true: also count every match (reads the whole window; GET /v1/events/total alone is cheaper)',
  }),
});

/** Query of `GET /v1/events/total`. */
export const eventTotalQuerySchema = z.strictObject({
  from: timestamp('inclusive start of the window'),
  to: timestamp('exclusive end of the window'),
  ...filterShape,
});

/** Query of `GET /v1/processes`: filters (window optional) and offset paging. */
export const processQuerySchema = z.strictObject({
  from: timestamp('inclusive start: processes with an event from here').optional(),
  to: timestamp('exclusive end').optional(),
  ...filterShape,
  ...pagingShape,
});

/** Path of one process. */
export const processParamsSchema = z.object({
  vendor: z
    .string()
    .min(1)
    .openapi({ param: { name: 'vendor', in: 'path' }, example: 'zapsign' }),
  processId: z
    .string()
    .min(1)
    .openapi({ param: { name: 'processId', in: 'path' } }),
});

/** The query of a route that takes no parameters: any one given is refused (400 naming it). */
export const noQuerySchema = z.strictObject({});

/** Query of the process export. */
export const exportQuerySchema = z.strictObject({
  format: z.enum(['json', 'ndjson', 'csv']).default('json'),
  timeline: timelineParam(),
});

/** Query of one process. */
export const processTimelineQuerySchema = z.strictObject({ timeline: timelineParam() });

/** One normalized event (core schema version 1). */
export const eventSchema = z
  .looseObject({
    id: z.string(),
    vendor: z.string(),
    processId: z.string(),
    type: z.string(),
    occurredAt: z.string(),
    seq: z.number(),
    actor: z.looseObject({ kind: z.string() }),
    origin: z.string(),
  })
  .openapi('Event');

/** A process's folded state as stored. */
export const processSchema = z
  .looseObject({
    vendor: z.string(),
    processId: z.string(),
    status: z.string(),
    state: z.looseObject({}),
    updatedAt: z.string(),
  })
  .openapi('Process');

/** A page of events. */
export const eventPageSchema = z
  .object({
    events: z.array(eventSchema),
    limit: z.number(),
    offset: z.number().optional(),
    total: z.number().optional(),
    nextCursor: z.string().optional(),
  })
  .openapi('EventPage');

/** An RFC 9457 problem document. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    parameter: z.string().optional(),
  })
  .openapi('Problem');

/** Body of `POST /v1/sync`. */
export const syncRequestSchema = z.strictObject({
  vendor: z.string().min(1).optional().openapi({ description: 'one vendor; default every connection' }),
  wait: z.boolean().default(false).openapi({ description: 'answer after the sync ends, with its result' }),
});

/** Query of `GET /v1/inbox`. */
export const inboxQuerySchema = z.strictObject({
  status: repeatable(z.enum(['pending', 'processed', 'rejected', 'failed']))
    .optional()
    .openapi({ description: 'delivery status (repeatable)' }),
  errors: z
    .enum(['true', 'false'])
    .optional()
    .openapi({ description: 'true: only deliveries with an error code (failed re-reads, given-up ones)' }),
  ...pagingShape,
});

/** One received webhook delivery as `GET /v1/inbox` lists it: bookkeeping, never the body. */
export const inboxEntrySchema = z.object({
  id: z.string(),
  vendor: z.string(),
  connectionId: z.string(),
  receivedAt: z.string(),
  status: z.string(),
  attempts: z.number(),
  error: z.string().optional(),
  events: z.number().optional(),
  processedAt: z.string().optional(),
});
