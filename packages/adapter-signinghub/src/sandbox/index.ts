import type { VendorSimulatorModule } from '@signtrail/sandbox';
import { SIGNINGHUB_TYPES } from './render-signinghub.js';
import { startSigninghubSimulator } from './signinghub-routes.js';

export {
  ACTION_BY_TYPE,
  CALLBACK_BY_TYPE,
  type CallbackOptions,
  packageIdOf,
  type RenderedLog,
  type RenderOptions,
  renderCallback,
  renderLogDetails,
  renderPackageSummary,
  renderSigninghubCallbacks,
  renderSigninghubLog,
  SIGNINGHUB_TYPES,
  signinghubProjection,
} from './render-signinghub.js';
export {
  type SigninghubSimulator,
  type SigninghubSimulatorOptions,
  startSigninghubSimulator,
} from './signinghub-routes.js';

/** What SigningHub can express: its vocabulary, and times to the second (`date_time` has no fraction). */
export const storyOptions = { types: SIGNINGHUB_TYPES, resolution: 'second' } as const;

/** The SigningHub simulator module `signtrail-sandbox` discovers. */
export const simulator: VendorSimulatorModule = {
  vendor: 'signinghub',
  storyOptions,
  start: (options) => startSigninghubSimulator(options),
};
