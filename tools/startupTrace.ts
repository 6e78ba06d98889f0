/**
 * `npx tsx tools/startupTrace.ts [--messages N] [--runs N] [--cpu-prof DIR]`: where the time between
 * "start the web shell" and "sign-in screen" (and on to the chat list) goes, step by step — the
 * shell process until it prints PARLEY_URL, Chromium's launch, the page's own navigation and paint
 * timings, the sign-in screen, and after the password the chat list. With `--messages` the
 * history is seeded first (bench:app's seeder); with `--cpu-prof` the shell runs under
 * `node --cpu-prof`. A diagnostic for people, not a benchmark: bench:app keeps the numbers.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, expect, type Page } from '@playwright/test';
import { packageScript, parseParleyUrl } from '../e2e/fixtures/appLauncher';
import { ChildUnderTest } from '../e2e/fixtures/childProcess';
import { CHROMIUM_ARGS, CHROMIUM_PATH, REPOSITORY_ROOT } from '../e2e/fixtures/repository';
import { startServer } from '../e2e/fixtures/server';
import { TEST_PASSWORD } from '../e2e/fixtures/person';
import { ChatListPage } from '../e2e/pages/ChatListPage';
import { SearchPage } from '../e2e/pages/SearchPage';
import { SignInPage } from '../e2e/pages/SignInPage';
import { SignUpPage } from '../e2e/pages/SignUpPage';
import { bundleHistorySeeder } from '../bench/appStartup/historySeederBundle';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '0' },
    runs: { type: 'string', default: '2' },
    'cpu-prof': { type: 'string' },
    'page-prof': { type: 'string' },
  },
});
const MESSAGES = Number(values.messages);
const RUNS = Number(values.runs);
const PROFILE_DIR = values['cpu-prof'] ? resolve(values['cpu-prof']) : undefined;
/** Where the page's own CPU profile (CDP Profiler, from navigation to the chat list) of each run goes. */
const PAGE_PROFILE_DIR = values['page-prof'] ? resolve(values['page-prof']) : undefined;

type SeedWindow = {
  parley: {
    account: { getState(argument: object): Promise<{ ok: boolean; value: { account?: { accountId: string } } }>; historyKey(argument: object): Promise<{ ok: boolean; value: { storageKey: string } }> };
    contacts: { findByUsername(argument: { username: string }): Promise<{ ok: boolean; value: { accountId: string } }> };
  };
  // bench/appStartup/seedRequest.ts's SeedRequest, loosely: its fields grow with bench:app.
  parleyBenchHistory: { seed(request: Record<string, unknown>): Promise<{ added: number }>; close(): void };
};

async function open(profileDir: string, serverUrl: string, marks: Array<[string, number]>) {
  const started = performance.now();
  const mark = (name: string) => marks.push([name, performance.now() - started]);
  const script = packageScript('web');
  // Under the profiler the script's program runs as node with the flags (NODE_OPTIONS refuses --cpu-prof).
  const viaNode = script.command.endsWith('tsx') ? ['--import', 'tsx', ...script.args] : script.args;
  const { child, readyValue } = await ChildUnderTest.start({
    label: 'web shell',
    command: PROFILE_DIR ? process.execPath : script.command,
    args: [
      ...(PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, ...viaNode] : script.args),
      ...['--profile', profileDir, '--server', serverUrl, '--no-open'],
    ],
    environment: { ...process.env, PARLEY_LOG_LEVEL: 'warn' },
    cwd: REPOSITORY_ROOT,
    readyPrefix: 'PARLEY_URL=',
  });
  mark('shell printed PARLEY_URL');
  const context = await chromium.launchPersistentContext(join(profileDir, 'browser'), {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  mark('Chromium launched');
  const page = context.pages()[0] ?? (await context.newPage());
  const profiler = PAGE_PROFILE_DIR ? await context.newCDPSession(page) : undefined;
  if (profiler) {
    await profiler.send('Profiler.enable');
    await profiler.send('Profiler.setSamplingInterval', { interval: 200 });
    await profiler.send('Profiler.start');
  }
  const navigationStarted = performance.now() - started;
  await page.goto(parseParleyUrl(readyValue).href, { waitUntil: 'commit' });
  mark('navigation committed');
  const stopProfiler = async (file: string) => {
    if (!profiler || !PAGE_PROFILE_DIR) return;
    const { profile } = await profiler.send('Profiler.stop');
    writeFileSync(join(PAGE_PROFILE_DIR, file), JSON.stringify(profile));
  };
  return { page, context, child, started, mark, navigationStarted, stopProfiler };
}

type PageTimings = {
  responseEnd?: number;
  domInteractive?: number;
  domContentLoaded?: number;
  paints: Record<string, number>;
  marks: Record<string, number>;
  resources: Record<string, number>;
};

/** The page's navigation, paint, mark and resource timings (a string: this file has no DOM types). */
const PAGE_TIMINGS = `(() => {
  const navigation = performance.getEntriesByType('navigation')[0];
  const named = (type, value) => Object.fromEntries(performance.getEntriesByType(type).map((entry) => [entry.name.replace(/^.*\\//, '').replace(/\\?.*$/, ''), value(entry)]));
  return {
    responseEnd: navigation?.responseEnd,
    domInteractive: navigation?.domInteractive,
    domContentLoaded: navigation?.domContentLoadedEventEnd,
    paints: named('paint', (entry) => entry.startTime),
    marks: named('mark', (entry) => entry.startTime),
    resources: named('resource', (entry) => entry.responseEnd),
  };
})()`;

const pageTimings = (page: Page) => page.evaluate(PAGE_TIMINGS) as Promise<PageTimings>;

async function main() {
  for (const folder of [PROFILE_DIR, PAGE_PROFILE_DIR]) if (folder) mkdirSync(folder, { recursive: true });
  const server = await startServer({ logLevel: 'warn' });
  const profileDir = mkdtempSync(join(tmpdir(), 'parley-trace-'));
  try {
    // Sign up once (and seed), then time the restarts.
    {
      const run = await open(profileDir, server.url, []);
      await new SignUpPage(run.page).signUp('tracer', TEST_PASSWORD);
      await expect(new SearchPage(run.page).box()).toBeEditable({ timeout: 60_000 });
      if (MESSAGES > 0) {
        await run.page.evaluate(await bundleHistorySeeder());
        const peer = await run.page.evaluate(async (count) => {
          const page = globalThis as unknown as SeedWindow;
          const state = await page.parley.account.getState({});
          const key = await page.parley.account.historyKey({});
          const result = await page.parleyBenchHistory.seed({
            accountId: state.value.account!.accountId,
            storageKey: key.value.storageKey,
            peerAccountId: state.value.account!.accountId,
            firstIndex: 0,
            count,
            batchSize: 1000,
            inFlight: 2,
            firstSentAt: Date.now() - count * 60_000,
            spacingMs: 60_000,
            markRead: true,
            rareWord: 'pelican',
            rareEvery: 1000,
          });
          page.parleyBenchHistory.close();
          return result.added;
        }, MESSAGES);
        process.stderr.write(`seeded ${peer} messages\n`);
      }
      await run.context.close();
      await run.child.stop();
    }
    for (let index = 0; index < RUNS; index++) {
      const marks: Array<[string, number]> = [];
      const run = await open(profileDir, server.url, marks);
      const signIn = new SignInPage(run.page);
      await expect(signIn.signInButton()).toBeVisible({ timeout: 60_000 });
      run.mark('sign-in screen visible');
      const timings = await pageTimings(run.page);
      const signInClicked = performance.now() - run.started;
      await signIn.signIn(TEST_PASSWORD);
      await expect(new SearchPage(run.page).box()).toBeEditable({ timeout: 60_000 });
      if (MESSAGES > 0) await expect(new ChatListPage(run.page).chats().first()).toBeVisible({ timeout: 60_000 });
      else await expect(new ChatListPage(run.page).list()).toBeAttached({ timeout: 60_000 });
      run.mark('interactive chat list');
      await run.stopProfiler(`page-run${index + 1}.cpuprofile`);
      const after = await pageTimings(run.page);
      process.stdout.write(`\nrun ${index + 1}${MESSAGES ? ` (${MESSAGES} messages)` : ''}\n`);
      for (const [name, at] of marks) process.stdout.write(`  ${at.toFixed(0).padStart(6)} ms  ${name}\n`);
      const offset = run.navigationStarted;
      const inPage = (name: string, value: number | undefined) =>
        value === undefined ? undefined : process.stdout.write(`  ${(offset + value).toFixed(0).padStart(6)} ms    page: ${name}\n`);
      inPage('response end', timings.responseEnd);
      for (const [name, at] of Object.entries(timings.resources)) inPage(`loaded ${name}`, at);
      inPage('DOM interactive', timings.domInteractive);
      inPage('DOMContentLoaded', timings.domContentLoaded);
      for (const [name, at] of Object.entries(timings.paints)) inPage(name, at);
      for (const [name, at] of Object.entries(after.marks)) inPage(`mark ${name}`, at);
      process.stdout.write(`  (sign in clicked at ${signInClicked.toFixed(0)} ms)\n`);
      await run.context.close();
      await run.child.stop();
    }
  } finally {
    rmSync(profileDir, { recursive: true, force: true });
    await server.stop();
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
