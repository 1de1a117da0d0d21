import type { FaultRule } from './faults.js';
import type { Simulator } from './harness.js';
import type { Story, StoryOptions } from './stories.js';
import type { WebhookDelivery } from './webhook-sender.js';

/** Options every vendor simulator takes. */
export interface VendorSimulatorOptions {
  stories: Story[];
  faults?: FaultRule[];
  port?: number;
}

/** A running vendor simulator, with what a client needs to reach it. */
export interface VendorSimulator extends Simulator {
  /** Credentials the simulator accepts (generated per server). */
  credentials: Record<string, string>;
  /** The `SIGNTRAIL_*` environment variables that point the CLI at this simulator. */
  env: Record<string, string>;
  /**
   * Sends the stories' webhooks (the vendor's real shapes, signed or carrying the secret as the vendor
   * does, `credentials.webhookSecret` being the key) to `url`, in order. Default: every served story.
   */
  sendWebhooks?(url: string, options?: { stories?: Story[] }): Promise<WebhookDelivery[]>;
}

/**
 * What an adapter's `./sandbox` entry exports as `simulator`, so `signtrail-sandbox` can find and
 * start every installed adapter's simulator without the sandbox knowing any vendor.
 */
export interface VendorSimulatorModule {
  vendor: string;
  start(options: VendorSimulatorOptions): Promise<VendorSimulator>;
  /** The story options (vocabulary, time resolution) this vendor can express. */
  storyOptions: Partial<StoryOptions>;
}
