// Unit tests run in parallel; integration tests (*.int.test.ts) share one FerretDB and one engine
// per file, so files run in forks with a generous timeout for real Freqtrade runs.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 180_000,
    reporters: process.env.GENTRADE_REPORT
      ? ['default', ['json', { outputFile: process.env.GENTRADE_REPORT }]]
      : ['default'],
  },
});
