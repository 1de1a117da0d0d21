import type { StoreOptions } from '@signtrail/store';

/** Where the deployable server keeps its data, and whether a variable was set but overruled. */
export interface StoreChoice {
  options: StoreOptions;
  /** `SIGNTRAIL_DATA_DIR` was set too: PostgreSQL wins, the directory is not used. */
  ignoredDataDir: boolean;
}

const nonEmpty = (value: string | undefined) => value?.trim() || undefined;

/**
 * The store `node dist/main.js` opens: PostgreSQL when `DATABASE_URL` is set (it wins over
 * `SIGNTRAIL_DATA_DIR`), else PGlite in `SIGNTRAIL_DATA_DIR` (default `./.signtrail/data`).
 */
export function storeChoiceFromEnv(env: NodeJS.ProcessEnv): StoreChoice {
  const databaseUrl = nonEmpty(env.DATABASE_URL);
  const dataDir = nonEmpty(env.SIGNTRAIL_DATA_DIR);
  if (databaseUrl !== undefined) return { options: { databaseUrl }, ignoredDataDir: dataDir !== undefined };
  return { options: { dataDir: dataDir ?? './.signtrail/data' }, ignoredDataDir: false };
}
