import { defineConfig } from 'tsup';

export default defineConfig({
  // `testing`: test databases for this package's tests and for packages built on the store.
  entry: ['src/index.ts', 'src/testing.ts'],
  format: ['esm', 'cjs'],
  dts: { compilerOptions: { composite: false } },
  clean: true,
  sourcemap: true,
  target: 'node20',
  // The migrations folder is found from import.meta.url, in the CommonJS build too.
  shims: true,
});
