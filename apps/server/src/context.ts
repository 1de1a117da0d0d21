import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Store } from '@signtrail/store';
import type { Logger } from 'pino';
import type { ConnectionAdapters } from './connection-adapters.js';
import type { Metrics } from './metrics.js';
import type { SyncScheduler } from './sync-scheduler.js';
import type { SourceFactory } from './vendor-sources.js';
import type { WebhookWorker } from './webhook-worker.js';

/** Per-request variables: the tenant the API key is bound to, and the request id. */
export interface AppEnv {
  Variables: { tenant: string; requestId: string };
}

/** The app type every route module registers on. */
export type App = OpenAPIHono<AppEnv>;

/** What route handlers share. */
export interface ServerContext {
  store: Store;
  sources: SourceFactory;
  /** The adapter of each webhook connection, shared by the webhook route and the inbox worker. */
  adapters: ConnectionAdapters;
  metrics: Metrics;
  logger: Logger;
  worker: WebhookWorker;
  scheduler: SyncScheduler;
}
