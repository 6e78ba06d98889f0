import { defineConfig } from 'vitest/config';
import PlainSummaryReporter from './vitest.plainSummary';

export default defineConfig({
  test: {
    include: ['src-*/**/*.test.ts', 'src-renderer/**/*.test.tsx', 'integration/**/*.test.ts'],
    allowOnly: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests open real sockets and databases; run files one at a time on 2 cores.
    fileParallelism: false,
    reporters: ['default', new PlainSummaryReporter()],
  },
});
