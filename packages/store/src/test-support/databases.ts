// The store tests' side of `@signtrail/store/testing`: the vitest parts (a skipped suite, per-file hooks, the
// migrated PGlite template from the global setup) that the runtime entry must not import.
import { afterAll, beforeAll, describe, inject, it } from 'vitest';
import { openStore, type Store, type StoreOptions } from '../index.js';
import { type Driver, createLocation as newLocation, type TestLocation, testDatabases } from '../testing.js';

export * from '../testing.js';

export const { postgresUrl, drivers, announceSkippedPostgres } = await testDatabases(
  { describe, it },
  'store test',
);

/** A new location with no data: PGlite from the migrated template (an empty directory when `fresh`) or PostgreSQL. */
export function createLocation(driver: Driver, { fresh = false } = {}): Promise<TestLocation> {
  return newLocation(driver, fresh ? { onDisk: true } : { template: inject('pgliteTemplate') });
}

/** One store per test file on `driver`, opened before and removed after the file's tests. */
export function useStore(
  driver: Driver,
  options: StoreOptions = {},
): { store: Store; location: TestLocation } {
  const context = {} as { store: Store; location: TestLocation };
  beforeAll(async () => {
    context.location = await createLocation(driver);
    context.store = await openStore({ ...context.location.options, ...options });
  });
  afterAll(async () => {
    await context.store?.close();
    await context.location?.drop();
  });
  return context;
}
