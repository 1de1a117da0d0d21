import {
  randomSecret,
  type Story,
  type StoryOptions,
  sendWebhookDeliveries,
  startSimulator,
  type VendorSimulator,
  type VendorSimulatorModule,
  type VendorSimulatorOptions,
  type WebhookDelivery,
} from '@signtrail/sandbox';
import { VENDOR } from '../taktikal-api.js';
import { renderTaktikalWebhooks, TAKTIKAL_STORY_TYPES } from './render-taktikal.js';
import { createTaktikalRoutes } from './taktikal-routes.js';

export {
  processStatusOf,
  renderTaktikal,
  renderTaktikalProcess,
  renderTaktikalWebhooks,
  TAKTIKAL_STORY_TYPES,
  type TaktikalApi,
  type TaktikalWebhookRenderOptions,
  taktikalDetails,
  taktikalFlowKey,
} from './render-taktikal.js';

/** What Taktikal can express: its activity vocabulary; 7-digit fractions keep every microsecond. */
export const storyOptions: Partial<StoryOptions> = { types: TAKTIKAL_STORY_TYPES, resolution: 'microsecond' };

/** A running Taktikal simulator; `stories` includes processes the `shift` fault inserted. */
export interface TaktikalSimulator extends VendorSimulator {
  readonly stories: Story[];
  /** Posts the stories' signed webhooks (`credentials.webhookSecret` is the signing key) to `url`, in order. */
  sendWebhooks(url: string, options?: { stories?: Story[] }): Promise<WebhookDelivery[]>;
}

/** Starts the Taktikal simulator on 127.0.0.1 (base path `/api`, random credentials). */
export async function startTaktikalSimulator(options: VendorSimulatorOptions): Promise<TaktikalSimulator> {
  const credentials = { companyKey: `ck${randomSecret(8)}`, apiKey: randomSecret() };
  const served = createTaktikalRoutes({ stories: options.stories, credentials, storyOptions });
  const webhookSecret = randomSecret();
  // Rendered story by story as they go out: each signature's TimeStamp is the moment of sending.
  function* deliveries(stories: Story[]) {
    for (const story of stories) {
      yield* renderTaktikalWebhooks(story, webhookSecret, { companyKey: credentials.companyKey });
    }
  }
  const simulator = await startSimulator({
    vendor: VENDOR,
    basePath: '/api',
    routes: served.routes,
    authenticate: served.authenticate,
    onShift: served.onShift,
    faults: options.faults,
    port: options.port,
  });
  return {
    ...simulator,
    credentials: { ...credentials, webhookSecret },
    env: {
      SIGNTRAIL_TAKTIKAL_BASE_URL: simulator.baseUrl,
      SIGNTRAIL_TAKTIKAL_COMPANY_KEY: credentials.companyKey,
      SIGNTRAIL_TAKTIKAL_API_KEY: credentials.apiKey,
      SIGNTRAIL_TAKTIKAL_WEBHOOK_SECRET: webhookSecret,
    },
    sendWebhooks: (url, { stories = served.stories() } = {}) =>
      sendWebhookDeliveries(url, deliveries(stories)),
    // A getter, not a copy: the `shift` fault adds processes while the simulator runs.
    get stories() {
      return served.stories();
    },
  };
}

/** The module `signtrail-sandbox` discovers. */
export const simulator: VendorSimulatorModule = {
  vendor: VENDOR,
  storyOptions,
  start: startTaktikalSimulator,
};
