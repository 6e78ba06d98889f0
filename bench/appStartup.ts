/**
 * bench/appStartup: the desktop app as a person meets it, on the real web shell and Chromium.
 *
 * - start: from starting the shell (`npm run web`) to the sign-in screen, from "Sign in" to an
 *   interactive chat list, and the two together; on an empty history and on each big one.
 * - open: from a click on the chat to its newest message on screen.
 * - search: from typing a word into Search to its results on screen (UI), and the history
 *   store's own query time for the same words (in the page, no rendering).
 * - memory: the renderer's after sign-in, the chat list and the open conversation (JS heap after
 *   a GC through CDP; the renderer process's RSS from /proc).
 * - catch-up: the app closed while another account queues 10,000 messages to it; from "Sign in"
 *   to the last of them on screen, as messages/s, with the renderer's longest task meanwhile.
 * - history writes: `applyInboxBatch` one batch of 1,000 after the other (as the app writes what
 *   the core hands over) into a conversation of its own, then marking its incoming half read with
 *   the renderer's markConversationRead (its steps timed: the key read, the longest chunk).
 *
 * The big histories (`--messages 100000,1000000`) are seeded straight into the app's own history
 * store, in the page, through the renderer's own write path (appStartup/page/historySeeder.ts):
 * the records are the ones the app writes (sealed, with keyed-hash search terms); sending them
 * through encrypt → server → decrypt first would only make the wait longer. Seeding keeps two
 * batches in flight, seeds each level from the one below it (only the difference), and keeps each
 * seeded profile (server data and alice's profile) under bench/results/appStartup-cache/, keyed by
 * a fingerprint of the write path's sources (profileCache.ts); every measurement runs on a copy.
 * Run: `npm run bench:app` (or `-- --messages 20000 --runs 1 --write-probe 10000`; `--fresh`
 * seeds again from nothing).
 */
// First: finds or installs the browser before the e2e fixtures read PARLEY_CHROMIUM.
import './appStartup/ensureBrowser';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { expect, type Page } from '@playwright/test';
import buildWhatTheSuitesNeed from '../e2e/globalSetup';
import { TEST_PASSWORD, type Person } from '../e2e/fixtures/person';
import type { ServerProcess } from '../integration/harness/serverProcess';
import { TemporaryDirectories } from '../integration/harness/temporaryDirectory';
import { measureCatchUp, type CatchUpResult } from './appStartup/catchUp';
import { bundleHistorySeeder } from './appStartup/historySeederBundle';
import { chromiumVersion, currentLoad, describeMachine, machineLine, type Machine } from './appStartup/machine';
import { profilePage, type ProfileSummary } from './appStartup/pageCpuProfile';
import { paintAfter } from './appStartup/paintProbe';
import { countInPage, historyInPage, searchInPage, seedInPage } from './appStartup/pageHistory';
import { ProfileCache, writePathFingerprint } from './appStartup/profileCache';
import { chromiumCpu, cpuShares, measureRendererMemory, type RendererMemory } from './appStartup/rendererMemory';
import { createBase, extend, withWorkCopy, type SeedOptions } from './appStartup/seededApp';
import type { SeedResult } from './appStartup/seedRequest';
import { epochNow, shownAt } from './appStartup/shownProbe';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '100000,1000000' },
    runs: { type: 'string', default: '3' },
    'catch-up': { type: 'string', default: '10000' },
    'write-probe': { type: 'string', default: '100000' },
    fresh: { type: 'boolean', default: false },
    /** Seeding only (the records are the same whatever the batch): messages per batch, and batches in flight. */
    'seed-batch': { type: 'string', default: '1000' },
    'seed-in-flight': { type: 'string', default: '2' },
    /** Also CPU-profiles the page's main thread while seeding, catching up and writing the write probe (bench/results/*.cpuprofile). */
    profile: { type: 'boolean', default: false },
  },
});
const LEVELS = [...new Set(values.messages.split(',').map((value) => whole('--messages', value, 1)))].sort((a, b) => a - b);
const RUNS = whole('--runs', values.runs, 1);
const CATCH_UP = whole('--catch-up', values['catch-up'], 0);
const WRITE_PROBE = whole('--write-probe', values['write-probe'], 0);
const profiles: Array<{ what: string; file?: string; summary?: ProfileSummary; cores: Record<string, number> }> = [];
/**
 * Where a span of page work went: the CPU each kind of Chromium process used meanwhile (in cores,
 * from /proc), and with --profile the page's main thread profiled (file and top self times).
 */
async function observed<T>(page: Page, browserDataDir: string, what: string, work: () => Promise<T>): Promise<T> {
  const cpuBefore = chromiumCpu(browserDataDir);
  const started = performance.now();
  let file: string | undefined;
  let summary: ProfileSummary | undefined;
  let result: T;
  if (values.profile) {
    mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
    file = fileURLToPath(new URL(`./results/appStartup-${what}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`, import.meta.url));
    ({ result, summary } = await profilePage(page, file, work));
  } else {
    result = await work();
  }
  const cores = cpuShares(cpuBefore, chromiumCpu(browserDataDir), performance.now() - started);
  profiles.push({ what, file, summary, cores });
  const busy = Object.entries(cores).filter(([, share]) => share >= 0.01).sort((a, b) => b[1] - a[1]);
  process.stderr.write(`${what}: Chromium's CPU meanwhile, in cores: ${busy.map(([kind, share]) => `${kind} ${share.toFixed(2)}`).join(', ')}\n`);
  if (summary) {
    process.stderr.write(`${what}: the page's main thread over ${summary.totalMilliseconds.toFixed(0)} ms, top self times:\n`);
    for (const entry of summary.top) process.stderr.write(`  ${(entry.share * 100).toFixed(1)}%  ${entry.selfMilliseconds.toFixed(0)} ms  ${entry.function}\n`);
  }
  return result;
}
const SEEDING: SeedOptions = {
  batchSize: whole('--seed-batch', values['seed-batch'], 1),
  inFlight: whole('--seed-in-flight', values['seed-in-flight'], 1),
  rareWord: 'pelican',
  rareEvery: 1_000,
  around: observed,
};
const UI_TIMEOUT = 300_000;
/** The app's own batch: what the core hands over at most at once. */
const WRITE_BATCH = 1_000;

function whole(name: string, value: string, minimum: number): number {
  const number = Number(value.trim());
  if (!Number.isInteger(number) || number < minimum) throw new Error(`${name} takes whole numbers of at least ${minimum}, not "${value}"`);
  return number;
}

type Unit = 'ms' | 'MB' | 'msg/s' | 'tasks' | 'µs';
type Sample = { name: string; unit: Unit; values: number[]; note?: string };
const samples: Sample[] = [];
const record = (name: string, value: number, note?: string, unit: Unit = 'ms') => {
  const sample = samples.find((item) => item.name === name) ?? samples[samples.push({ name, unit, values: [], note }) - 1]!;
  sample.values.push(value);
  process.stderr.write(`${name}: ${value.toFixed(0)} ${unit}\n`);
};
const levelName = (messages: number) => `${messages.toLocaleString('en-US')} messages`;
const MB = 2 ** 20;

/** Quits alice's app and starts it again, timing each step up to an interactive chat list. */
async function timedRestart(alice: Person, label: string) {
  await alice.app.close();
  const started = epochNow();
  await alice.app.reopen();
  // The first frames showing each screen, from the page's probe (see shownProbe.ts); expect() then only confirms.
  const signInShown = await shownAt(alice.page, 'sign-in', UI_TIMEOUT);
  await expect(alice.signInPage.signInButton()).toBeVisible({ timeout: UI_TIMEOUT });
  const signingIn = epochNow();
  await alice.signInPage.signIn(TEST_PASSWORD);
  const ready = await shownAt(alice.page, 'chat list', UI_TIMEOUT);
  await expect(alice.search.box()).toBeEditable({ timeout: UI_TIMEOUT });
  await expect(alice.chatList.chat('bob')).toBeVisible({ timeout: UI_TIMEOUT });
  record(`start → sign-in screen (${label})`, signInShown - started, 'start → first frame showing the sign-in button');
  record(`sign in → chat list (${label})`, ready - signingIn, 'typing the password and clicking → first frame with Search editable and the chat');
  record(`start → interactive chat list (${label})`, signInShown - started + (ready - signingIn), 'the two together (the bench\'s own pause between them left out)');
}

function recordSeeding(from: number, to: number, seeded: SeedResult) {
  const rate = seeded.added / (seeded.milliseconds / 1000);
  record(`seed messages ${(from + 1).toLocaleString('en-US')}–${to.toLocaleString('en-US')} (batches of ${SEEDING.batchSize.toLocaleString('en-US')}, ${SEEDING.inFlight} in flight)`, rate, `${(seeded.milliseconds / 1000).toFixed(0)} s; only when not cached`, 'msg/s');
}

function recordMarkRead(label: string, seeded: SeedResult) {
  record(
    `mark ${seeded.markedRead.toLocaleString('en-US')} incoming read (markConversationRead, chunks of ${seeded.markReadChunk.toLocaleString('en-US')}) (${label})`,
    seeded.markReadMilliseconds,
    'what opening a chat with that many unread costs the history store',
  );
  const [keyRead = 0, ...chunks] = seeded.markReadStepMilliseconds;
  record(`mark read: reading the unread keys (one read) (${label})`, keyRead, 'keys only, nothing opened');
  record(`mark read: longest chunk (one transaction) (${label})`, Math.max(0, ...chunks), `of ${chunks.length}; other history writes wait at most one step`);
}

function recordMemory(label: string, memory: RendererMemory) {
  record(`renderer JS heap after GC, signed in, chat open (${label})`, memory.jsHeapUsedBytes / MB, `of ${(memory.jsHeapTotalBytes / MB).toFixed(0)} MB allocated; CDP Performance.getMetrics`, 'MB');
  if (memory.rendererRssBytes !== undefined) {
    record(`renderer process RSS, signed in, chat open (${label})`, memory.rendererRssBytes / MB, `VmRSS from /proc, largest of ${memory.renderers.length} renderer process(es)`, 'MB');
  }
}

function recordCatchUp(label: string, result: CatchUpResult) {
  const count = result.messages.toLocaleString('en-US');
  record(`catch-up: sign in → last of ${count} queued on screen (${label})`, result.lastOnScreenMilliseconds, `first on screen after ${result.firstOnScreenMilliseconds.toFixed(0)} ms; ${result.stored.toLocaleString('en-US')} stored; queueing took ${(result.queueMilliseconds / 1000).toFixed(0)} s`);
  record(`catch-up: messages/s end to end (${label})`, result.messagesPerSecond, 'sign in (vault opens, core connects) → last on screen', 'msg/s');
  record(`catch-up: longest renderer task (${label})`, result.longestTaskMilliseconds, `PerformanceObserver longtask: ${result.longTasks} over 50 ms, ${result.longTaskTotalMilliseconds.toFixed(0)} ms in all`);
  record(`catch-up: longest gap between frames (${label})`, result.longestFrameGapMilliseconds, 'requestAnimationFrame');
  const cpu = Object.entries(result.cpuMillisecondsPerMessage).sort(([, a], [, b]) => b - a);
  const total = cpu.reduce((sum, [, milliseconds]) => sum + milliseconds, 0);
  record(`catch-up: CPU per message, all processes (${label})`, total * 1000, cpu.map(([name, milliseconds]) => `${name} ${(milliseconds * 1000).toFixed(0)}`).join(', '), 'µs');
}

async function measureLevel(alice: Person, server: ServerProcess, messages: number, seederScript: string, directories: TemporaryDirectories) {
  const label = levelName(messages);
  const newest = `number ${messages}`;
  for (let run = 0; run < RUNS; run++) {
    await timedRestart(alice, label);
    const opened = await paintAfter(alice.page, 'click', 'Messages', newest, UI_TIMEOUT);
    const started = performance.now();
    await alice.chatList.open('bob');
    // Waiting on the probe, not on expect(): each failed expect poll has Playwright build an aria
    // snapshot of the whole page in the page's main thread, which the measured work then waits for.
    const openedInPage = await opened();
    record(`open the conversation (${label})`, performance.now() - started, 'Playwright: click → the probe seen (polled every 50 ms)');
    await expect(alice.conversation.message(newest)).toBeVisible({ timeout: UI_TIMEOUT });
    record(`open the conversation, in the page (${label})`, openedInPage, 'click → first frame showing the newest message');
    if (run === RUNS - 1) recordMemory(label, await measureRendererMemory(alice.page, alice.app.browserDataDir));
    for (const query of [SEEDING.rareWord, 'harbour']) {
      const searched = await paintAfter(alice.page, 'input', 'Search results', 'bob', UI_TIMEOUT);
      const searchStarted = performance.now();
      let onScreen = 0;
      // With --profile, the last run's searches are profiled (the in-page time then includes the profiler's cost).
      const profiled = values.profile && run === RUNS - 1;
      const search = async () => {
        await alice.search.searchMessages(query);
        const searchedInPage = await searched(); // on the probe, as for open above
        onScreen = performance.now() - searchStarted;
        await expect(alice.search.messageResults().first()).toBeVisible({ timeout: UI_TIMEOUT });
        return searchedInPage;
      };
      const inPage = profiled ? await observed(alice.page, alice.app.browserDataDir, `search-${query}-${messages}`, search) : await search();
      record(`search "${query}" → results on screen (${label})`, onScreen, 'Playwright: fill → the probe seen (polled every 50 ms)');
      record(`search "${query}" → results on screen, in the page (${label})`, inPage, 'input → first frame showing a result');
      await alice.search.box().fill('');
    }
  }
  const account = await historyInPage(alice.page, seederScript);
  const searches = await searchInPage(alice.page, account, [SEEDING.rareWord, 'harbour', 'harb', 'harbour falcon']);
  for (const [query, result] of Object.entries(searches)) {
    record(`search query "${query}" (history store, no UI) (${label})`, result.milliseconds, `${result.hits} results (at most 50)`);
  }
  if (CATCH_UP > 0) {
    const result = await measureCatchUp({
      alice,
      aliceAccountId: account.accountId,
      serverUrl: server.url,
      serverPid: server.pid,
      count: CATCH_UP,
      directories,
      timeoutMs: UI_TIMEOUT,
      around: (work) => observed(alice.page, alice.app.browserDataDir, `catch-up-${messages}`, work),
      storedIn: async (conversationId) => countInPage(alice.page, await historyInPage(alice.page, seederScript), conversationId),
    });
    recordCatchUp(label, result);
    if (result.stored !== CATCH_UP) throw new Error(`catch-up: ${result.stored} of ${CATCH_UP} queued messages stored`);
  }
  if (WRITE_PROBE > 0) {
    const probeAccount = await historyInPage(alice.page, seederScript);
    const page = alice.page;
    const written = await observed(page, alice.app.browserDataDir, `history-writes-${messages}`, () => seedInPage(page, {
      ...probeAccount,
      peerAccountId: crypto.randomUUID(),
      firstIndex: 0,
      count: WRITE_PROBE,
      batchSize: WRITE_BATCH,
      inFlight: 1,
      firstSentAt: Date.now() - 2 * WRITE_PROBE * 1_000,
      spacingMs: 1_000,
      rareWord: SEEDING.rareWord,
      rareEvery: SEEDING.rareEvery,
      markRead: true,
    }));
    record(
      `history writes (applyInboxBatch, batches of ${WRITE_BATCH.toLocaleString('en-US')}, one after the other) (${label} stored)`,
      written.added / (written.milliseconds / 1000),
      `${written.added.toLocaleString('en-US')} messages in ${(written.milliseconds / 1000).toFixed(1)} s, into a new conversation`,
      'msg/s',
    );
    recordMarkRead(label, written);
  }
}

async function main() {
  const loadAtStart = currentLoad();
  buildWhatTheSuitesNeed();
  if (values.fresh) ProfileCache.clearAll();
  const cache = new ProfileCache(writePathFingerprint());
  const directories = new TemporaryDirectories();
  let chromium = 'Chromium';
  try {
    const seederScript = await bundleHistorySeeder();
    let base = cache.get(0);
    if (!base) {
      process.stderr.write(`bench:app: no cached profile for this write path (${cache.root}); making one\n`);
      cache.pruneOthers();
      base = await createBase(cache, seederScript);
    }
    await withWorkCopy(base, directories, async ({ alice }) => {
      for (let run = 0; run < RUNS; run++) await timedRestart(alice, 'empty history');
      chromium = await chromiumVersion(alice.page);
    });
    for (const messages of LEVELS) {
      let profile = cache.get(messages);
      if (profile) {
        process.stderr.write(`bench:app: ${levelName(messages)} cached (${profile.directory}, schema v${profile.manifest.schemaVersion}, seeded ${profile.manifest.createdAt})\n`);
      } else {
        const from = cache.bestBase(messages) ?? base;
        const extended = await extend(cache, from, messages, seederScript, SEEDING);
        recordSeeding(from.manifest.messages, messages, extended.seeded);
        profile = extended.profile;
      }
      await withWorkCopy(profile, directories, ({ alice, server }) => measureLevel(alice, server, messages, seederScript, directories));
    }
  } finally {
    directories.removeAll();
  }
  report(describeMachine(chromium, loadAtStart), cache.fingerprint);
}

function report(machine: Machine, fingerprint: string) {
  const median = (sorted: number[]) => sorted[Math.floor(sorted.length / 2)]!;
  const format = (value: number) => value.toLocaleString('en-US', { maximumFractionDigits: 0 });
  console.log(`\napp startup: ${LEVELS.map(levelName).join(', ')}; ${RUNS} run(s) each\nmachine: ${machineLine(machine)}\n`);
  console.log(`| measurement | median | min | max | unit | runs | note |`);
  console.log('|---|---:|---:|---:|---|---:|---|');
  for (const sample of samples) {
    const sorted = [...sample.values].sort((a, b) => a - b);
    console.log(
      `| ${sample.name} | ${format(median(sorted))} | ${format(sorted[0]!)} | ${format(sorted[sorted.length - 1]!)} | ${sample.unit} | ${sorted.length} | ${sample.note ?? ''} |`,
    );
  }
  console.log(`| machine | ${machineLine(machine)} | | | | | |`);
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  const file = new URL(`./results/appStartup-${new Date().toISOString().replace(/[:.]/g, '-')}.json`, import.meta.url);
  writeFileSync(file, JSON.stringify({ machine, levels: LEVELS, runs: RUNS, catchUp: CATCH_UP, writeProbe: WRITE_PROBE, writePathFingerprint: fingerprint, samples, profiles }, null, 2));
  console.log(`\nwrote ${file.pathname}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
