import type { StoreOptions } from '@signtrail/store';
import type { CommandContext } from '../run.js';

/** The tenant a command works on: `--tenant`, else `default`. */
export function tenantOf(ctx: CommandContext): string {
  return (ctx.values.tenant as string | undefined) ?? 'default';
}

/**
 * Store location: `--database-url`, else `DATABASE_URL`, else embedded PGlite in ./.signtrail/data; the key
 * sealing vendor credentials from `SIGNTRAIL_SECRET_KEY` of the CLI's environment.
 */
export function storeOptionsOf(ctx: CommandContext): StoreOptions {
  const url = (ctx.values['database-url'] as string | undefined) ?? ctx.io.env.DATABASE_URL;
  const secretKey = ctx.io.env.SIGNTRAIL_SECRET_KEY?.trim() || undefined;
  return {
    ...(url ? { databaseUrl: url } : { dataDir: ctx.io.env.SIGNTRAIL_DATA_DIR ?? './.signtrail/data' }),
    ...(secretKey ? { secretKey } : {}),
  };
}
