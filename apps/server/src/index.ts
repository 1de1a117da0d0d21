export type { AppEnv, ServerContext } from './context.js';
export { createServer, type ServerOptions, type SignTrailServer } from './create-server.js';
export { Metrics } from './metrics.js';
export { PROBLEMS, type Problem, type ProblemKind } from './problem.js';
export { WEBHOOK_BODY_LIMIT } from './routes/webhooks.js';
export { connectSimulators, type SimulatorConnection } from './simulator-connections.js';
export { defaultSources, type SourceFactory, VENDORS } from './vendor-sources.js';
