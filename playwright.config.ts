import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './e2e/fixtures/repository';
import { electronAvailability, type ShellKind } from './e2e/fixtures/shells';

type ShellOptions = { shell: ShellKind };

// The same specs run on every shell there is: the web shell always, Electron where its binary is.
const electron = electronAvailability();
if (!electron.available && !process.env.PARLEY_E2E_QUIET) {
  console.log(`e2e: the Electron project is not run: ${electron.reason}`);
  // Worker processes load this file too; say it once.
  process.env.PARLEY_E2E_QUIET = '1';
}

export default defineConfig<ShellOptions>({
  testDir: './e2e/specs',
  globalSetup: './e2e/globalSetup.ts',
  outputDir: './test-results',
  // Two app instances are two shells and two Chromiums: one test at a time on a 2-core machine.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: true,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['./e2e/plainSummaryReporter.ts']],
  use: {
    // For the built-in browser fixtures; the app launcher starts its own with the same flags.
    // Workers load this file after the global setup has put the browser in PARLEY_CHROMIUM.
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
    // Off: the runner would also trace the launcher's persistent contexts and race their closing.
    // The launcher traces each app itself and keeps the traces and screens of a failed test.
    trace: 'off',
    screenshot: 'off',
    actionTimeout: 15_000,
  },
  projects: [
    { name: 'web', use: { shell: 'web' } },
    ...(electron.available ? [{ name: 'electron', use: { shell: 'electron' as const } }] : []),
  ],
});
