import { defineConfig } from 'vitest/config';

// End-to-end tests: a real Chromium (Debian's) against `postroom serve` built from dist/.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
