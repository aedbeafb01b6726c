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
    // A real browser, a server and an SMTP peer on a 2-core machine: one retry absorbs a stalled start.
    // A test that fails twice fails the run.
    retry: 1,
  },
});
