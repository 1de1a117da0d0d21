import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'adapter-zapsign', include: ['src/**/*.test.ts'], testTimeout: 30_000 },
});
