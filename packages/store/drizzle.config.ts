import { defineConfig } from 'drizzle-kit';

// `pnpm --filter @signtrail/store generate` writes the next migration into ./drizzle from the one schema.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema.ts',
  out: './drizzle',
});
