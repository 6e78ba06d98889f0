import { defineConfig } from '@playwright/test';
import base from '../playwright.config';

/** `npm run screenshots`: every screen in both themes, from the real app, into docs/screenshots/. */
export default defineConfig(base, {
  // Paths here are relative to this file, not to the base config's.
  testDir: './screenshots',
  globalSetup: './globalSetup.ts',
  reporter: [['list'], ['./plainSummaryReporter.ts']],
  outputDir: '../test-results/screenshots',
  timeout: 180_000,
  // The web shell only: the pictures are of the renderer, which both shells show the same.
  projects: [{ name: 'web', use: { shell: 'web' } }],
});
