import { defineProject } from 'vitest/config';

// PGlite boots in ~2 s alone and 5–15 s on a busy machine: one instance per file, copied from a migrated
// template made once (globalSetup), and generous hook timeouts. Store tests mostly wait (PostgreSQL, child
// processes, slow sources): run the files side by side.
export default defineProject({
  test: {
    name: 'store',
    include: ['src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
    globalSetup: ['./src/test-support/pglite-template.ts'],
  },
});
