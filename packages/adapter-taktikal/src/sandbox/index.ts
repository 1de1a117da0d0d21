import {
  randomSecret,
  type Story,
  type StoryOptions,
  startSimulator,
  type VendorSimulator,
  type VendorSimulatorModule,
  type VendorSimulatorOptions,
} from '@signtrail/sandbox';
import { VENDOR } from '../taktikal-api.js';
import { TAKTIKAL_STORY_TYPES } from './render-taktikal.js';
import { createTaktikalRoutes } from './taktikal-routes.js';

export {
  processStatusOf,
  renderTaktikal,
  renderTaktikalProcess,
  TAKTIKAL_STORY_TYPES,
  type TaktikalApi,
  taktikalDetails,
  taktikalFlowKey,
} from './render-taktikal.js';

/** What Taktikal can express: its activity vocabulary; 7-digit fractions keep every microsecond. */
export const storyOptions: Partial<StoryOptions> = { types: TAKTIKAL_STORY_TYPES, resolution: 'microsecond' };

/** A running Taktikal simulator; `stories` includes processes the `shift` fault inserted. */
export interface TaktikalSimulator extends VendorSimulator {
  readonly stories: Story[];
}

/** Starts the Taktikal simulator on 127.0.0.1 (base path `/api`, random credentials). */
export async function startTaktikalSimulator(options: VendorSimulatorOptions): Promise<TaktikalSimulator> {
  const credentials = { companyKey: `ck${randomSecret(8)}`, apiKey: randomSecret() };
  const served = createTaktikalRoutes({ stories: options.stories, credentials, storyOptions });
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
    credentials: { ...credentials },
    env: {
      SIGNTRAIL_TAKTIKAL_BASE_URL: simulator.baseUrl,
      SIGNTRAIL_TAKTIKAL_COMPANY_KEY: credentials.companyKey,
      SIGNTRAIL_TAKTIKAL_API_KEY: credentials.apiKey,
    },
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
