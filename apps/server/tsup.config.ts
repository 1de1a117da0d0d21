import { defineConfig } from 'tsup';

const common = { dts: { compilerOptions: { composite: false } }, sourcemap: true, target: 'node20' } as const;

export default defineConfig([
  { ...common, entry: ['src/index.ts'], format: ['esm', 'cjs'], clean: true },
  // The runnable entries (server from environment, `pnpm start` demo) use top-level await: ESM only.
  { ...common, entry: ['src/main.ts', 'src/demo.ts'], format: ['esm'], dts: false },
]);
