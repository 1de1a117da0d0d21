import { InvalidOptionsError, SignTrailError, VendorError, VendorSchemaError } from '@signtrail/core';

/** Wrong command-line usage: exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A failure that is not a vendor's, with a hint of what to check: exit code 1. */
export class CliFailure extends Error {
  override name = 'CliFailure';
}

/** Exit codes: 0 ok, 1 vendor/network/data failure, 2 usage error. */
export function exitCodeOf(error: unknown): 1 | 2 {
  return error instanceof UsageError || error instanceof InvalidOptionsError ? 2 : 1;
}

/** One clear line for stderr: what failed and what to check; never a credential. */
export function describeError(error: unknown, hints: { credentials?: string[] } = {}): string {
  if (error instanceof VendorError) {
    const check =
      error.code === 'vendor_auth' && hints.credentials?.length
        ? `; check ${hints.credentials.join(', ')}`
        : error.code === 'vendor_not_found'
          ? '; check the process id'
          : error.code === 'vendor_response' && error.status === undefined
            ? '; check the base URL and the network'
            : '';
    return `${error.message}${check}`;
  }
  if (error instanceof VendorSchemaError) return `${error.message} (is this the right --vendor and file?)`;
  if (error instanceof SignTrailError || error instanceof UsageError || error instanceof CliFailure) {
    return error.message;
  }
  return `unexpected error: ${(error as Error)?.message ?? String(error)} (run with --debug for details)`;
}
