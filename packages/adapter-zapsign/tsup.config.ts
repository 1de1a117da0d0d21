import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/sandbox/index.ts'],
  format: ['esm', 'cjs'],
  dts: { compilerOptions: { composite: false } },
  clean: true,
  sourcemap: true,
  target: 'node20',
  external: ['@signtrail/sandbox'],
});
