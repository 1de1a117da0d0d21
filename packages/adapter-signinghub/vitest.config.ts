import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'adapter-signinghub', include: ['src/**/*.test.ts'], testTimeout: 30_000 },
});
