// The server tests' databases: `@signtrail/store/testing`, with vitest's skipped suite for a missing PostgreSQL.
import { testDatabases } from '@signtrail/store/testing';
import { describe, it } from 'vitest';

export * from '@signtrail/store/testing';

export const { postgresUrl, drivers, announceSkippedPostgres } = await testDatabases(
  { describe, it },
  'server test',
);
