import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { OpenAPIHono, type z } from '@hono/zod-openapi';
import { SignTrailError } from '@signtrail/core';
import type { Store } from '@signtrail/store';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { type Logger, pino } from 'pino';
import { cachedKeyResolver } from './api-key-cache.js';
import { connectionAdapters } from './connection-adapters.js';
import type { AppEnv, ServerContext } from './context.js';
import { Metrics } from './metrics.js';
import { ProblemError, problemKindOf, problemResponse, unknownParameter } from './problem.js';
import { registerDocRoutes } from './routes/docs.js';
import { registerEventRoutes } from './routes/events.js';
import { registerInboxRoutes } from './routes/inbox.js';
import { registerSyncRoutes } from './routes/operations.js';
import { registerProcessRoutes } from './routes/processes.js';
import { registerServiceRoutes } from './routes/service.js';
import { registerWebhookRoutes } from './routes/webhooks.js';
import { startSyncScheduler } from './sync-scheduler.js';
import { defaultSources, type SourceFactory } from './vendor-sources.js';
import { errorSummary, startWebhookWorker } from './webhook-worker.js';

/** Options of `createServer`. */
export interface ServerOptions {
  store: Store;
  /** Builds a connection's adapter. Default: the built-in adapters, options from the connection. */
  sources?: SourceFactory;
  logger?: Logger;
  /** Background sync of every connection; 0 (default) turns it off. */
  syncIntervalMs?: number;
  /** How often the webhook inbox is polled besides the nudge on receipt. Default 1 000. */
  webhookPollMs?: number;
  /** Whether this instance processes the webhook inbox (false: it only receives). Default true. */
  processWebhooks?: boolean;
  /** How long a claimed inbox delivery is hidden from other instances. Default 60 000. */
  webhookLeaseMs?: number;
  /** Claims of a delivery whose process re-read keeps failing before it is given up (`reread_gave_up`). Default 60. */
  webhookRereadAttempts?: number;
  /** How long an accepted API key is trusted before it is looked up again (a revocation lapses within it). Default 10 000; 0 looks up every request. */
  apiKeyCacheMs?: number;
}

/** A SignTrail API server: the Hono app, and `start`/`stop` for a Node HTTP listener. */
export interface SignTrailServer {
  app: OpenAPIHono<AppEnv>;
  context: ServerContext;
  /** Listens on `host` (default 127.0.0.1) and `port` (0: any free port); resolves with the URL. */
  start(options?: { port?: number; host?: string }): Promise<{ url: string; port: number }>;
  /** Stops listening, the webhook worker and the scheduler (the store stays open). */
  stop(): Promise<void>;
}

// Bodies of API calls are small (sync triggers); webhooks have their own, larger limit.
const API_BODY_LIMIT = 64 * 1024;
const PUBLIC = new Set(['/healthz', '/readyz', '/metrics', '/openapi.json', '/docs']);

/** Builds the API over `store`; nothing listens until `start`. */
export function createServer(options: ServerOptions): SignTrailServer {
  const logger = options.logger ?? pino({ name: 'signtrail-server' });
  const metrics = new Metrics();
  const sources = options.sources ?? defaultSources;
  const adapters = connectionAdapters(sources);
  const { store } = options;
  const resolveApiKey = cachedKeyResolver((key) => store.resolveApiKey(key), {
    ttlMs: options.apiKeyCacheMs ?? 10_000,
  });
  const worker = startWebhookWorker({
    store,
    adapters,
    metrics,
    logger,
    pollMs: options.webhookPollMs ?? 1000,
    enabled: options.processWebhooks ?? true,
    leaseMs: options.webhookLeaseMs ?? 60_000,
    maxAttempts: options.webhookRereadAttempts ?? 60,
  });
  const scheduler = startSyncScheduler({
    store,
    sources,
    metrics,
    logger,
    tenants: () => store.connectedTenants(),
    intervalMs: options.syncIntervalMs ?? 0,
  });
  const context: ServerContext = { store, sources, adapters, metrics, logger, worker, scheduler };

  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (result.success) return;
      const { parameter, detail } = describeIssue(result.target, result.error.issues[0]);
      return problemResponse(c, 'invalid-request', detail, parameter);
    },
  });

  app.use(requestId());
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    const seconds = (performance.now() - started) / 1000;
    // The route pattern, never the path or query: those can carry signer e-mails and process ids.
    const route = c.req.routePath || 'unmatched';
    const labels = { method: c.req.method, route, status: String(c.res.status) };
    metrics.inc('http_requests_total', 'HTTP requests.', labels);
    metrics.observe('http_request_duration_seconds', 'HTTP request latency.', { route }, seconds);
    logger.info({ requestId: c.get('requestId'), ...labels, ms: Math.round(seconds * 1000) }, 'request');
  });
  app.use(async (c, next) => {
    // PostgreSQL text cannot hold a NUL character: refused here, by name, before it reaches a query.
    if (!c.req.url.includes('%00')) return next();
    const parameter = nulParameterOf(c.req.url);
    return problemResponse(c, 'invalid-request', `${parameter} must not contain a NUL character`, parameter);
  });
  const limitBody = bodyLimit({
    maxSize: API_BODY_LIMIT,
    onError: (ctx) =>
      problemResponse(ctx, 'payload-too-large', `bodies are limited to ${API_BODY_LIMIT} bytes`),
  });
  app.use('/v1/*', async (c, next) => {
    // A GET has no body to limit, and asking for one makes the Node adapter build a full Request per call.
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.path.startsWith('/v1/webhooks/')) {
      return next();
    }
    return limitBody(c, next);
  });
  app.use('/v1/*', async (c, next) => {
    if (c.req.path.startsWith('/v1/webhooks/') || PUBLIC.has(c.req.path)) return next();
    const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
    const key = match?.[1] === undefined ? undefined : await resolveApiKey(match[1]);
    if (!key) {
      metrics.inc('signtrail_auth_failures_total', 'Requests without a valid API key.');
      // RFC 9110: a 401 names the scheme it takes.
      c.header('www-authenticate', 'Bearer');
      return problemResponse(c, 'unauthorized', 'send Authorization: Bearer <api key>');
    }
    c.set('tenant', key.tenant);
    return next();
  });

  registerEventRoutes(app, context);
  registerProcessRoutes(app, context);
  registerWebhookRoutes(app, context);
  registerInboxRoutes(app, context);
  registerSyncRoutes(app, context);
  registerServiceRoutes(app, context);
  registerDocRoutes(app);

  app.notFound((c) => problemResponse(c, 'not-found', 'no such route'));
  app.onError((error, c) => {
    if (error instanceof ProblemError) return problemResponse(c, error.kind, error.message, error.parameter);
    // Hono's own client errors (a malformed JSON body, the media type gate): the client's fault, not a 500.
    if (error instanceof HTTPException && error.status < 500) return clientErrorResponse(c, error.status);
    if (
      error instanceof SignTrailError &&
      (error.code === 'invalid_options' || error.code === 'invalid_timestamp')
    ) {
      const parameter = 'option' in error ? String(error.option) : undefined;
      return problemResponse(c, 'invalid-request', error.message, parameter);
    }
    logger.error({ requestId: c.get('requestId'), err: errorSummary(error) }, 'request failed');
    return problemResponse(c, 'internal', 'the request failed; see the server log');
  });

  let listener: ReturnType<typeof serve> | undefined;
  return {
    app,
    context,
    start: ({ port = 0, host = '127.0.0.1' } = {}) =>
      new Promise((resolve, reject) => {
        const server = serve({ fetch: app.fetch, port, hostname: host }, (info: AddressInfo) => {
          resolve({ url: `http://${host}:${info.port}`, port: info.port });
        });
        server.once('error', reject);
        listener = server;
      }),
    async stop() {
      await worker.stop();
      await scheduler.stop();
      const server = listener;
      listener = undefined;
      if (server) {
        if ('closeAllConnections' in server) server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}

/** What the API answers for a client error Hono raised (its message is not passed on). */
function clientErrorResponse(c: Context, status: number): Response {
  // Hono's 400s come from reading the body (its JSON validator); the body is the only one the API reads.
  if (status === 400) return problemResponse(c, 'invalid-request', 'the body is not valid JSON', 'body');
  const kind = problemKindOf(status);
  if (kind === 'unsupported-media-type') return problemResponse(c, kind, 'send the body as application/json');
  if (kind === 'payload-too-large') return problemResponse(c, kind, 'the body is too large');
  return problemResponse(c, kind, `the request was refused (HTTP ${status})`);
}

/** The parameter a validation issue is about and its wording; a body's issues name `body`. */
function describeIssue(
  target: string,
  issue: z.core.$ZodIssue | undefined,
): { parameter: string | undefined; detail: string } {
  const unknown = issue?.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  if (target === 'json') {
    const member = unknown ?? issue?.path.join('.');
    const where = member ? `body.${member}` : 'body';
    const what = unknown !== undefined ? 'unknown member' : (issue?.message ?? 'invalid');
    return { parameter: 'body', detail: `${where}: ${what}` };
  }
  if (unknown !== undefined) return { parameter: unknown, detail: unknownParameter(unknown) };
  const parameter = issue?.path[0] === undefined ? undefined : String(issue.path[0]);
  return { parameter, detail: `${parameter ?? 'request'}: ${issue?.message ?? 'invalid'}` };
}

/** The query parameter (or `path`) of `url` whose decoded name or value holds a NUL character. */
function nulParameterOf(url: string): string {
  const { pathname, searchParams } = new URL(url);
  for (const [name, value] of searchParams) {
    if (name.includes('\0')) return 'query';
    if (value.includes('\0')) return name;
  }
  return pathname.includes('%00') ? 'path' : 'query';
}
