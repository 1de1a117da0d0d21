export { type Demo, type DemoOptions, startDemoSimulators } from './demo.js';
export { discoverSimulators, KNOWN_VENDORS } from './discover.js';
export { ALL_FAULTS, type Fault, type FaultRule, faultsFor, mismatchShape } from './faults.js';
export {
  type RequestLogEntry,
  randomSecret,
  type SimRequest,
  type SimResponse,
  type SimRoute,
  type Simulator,
  type SimulatorOptions,
  startSimulator,
} from './harness.js';
export { Random } from './random.js';
export {
  countStoryEvents,
  formatMicros,
  generateStories,
  type Story,
  type StoryOptions,
  type StoryOutcome,
  type StoryPerson,
  storyStream,
} from './stories.js';
export type { VendorSimulator, VendorSimulatorModule, VendorSimulatorOptions } from './vendor-simulator.js';
export {
  exchangeWebhooks,
  startWebhookReceiver,
  type WebhookExchange,
  type WebhookReceiver,
} from './webhook-receiver.js';
export { type RenderedWebhook, sendWebhookDeliveries, type WebhookDelivery } from './webhook-sender.js';
