export { describeError, exitCodeOf, UsageError } from './errors.js';
export type { CliIo } from './io.js';
export { type OutputFormat, type OutputOptions, printResult, printStates } from './output.js';
export { run } from './run.js';
export { requireVendor, vendorNames } from './vendors.js';
