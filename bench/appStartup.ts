/**
 * bench/appStartup: the desktop app as a person meets it, on the real web shell and Chromium.
 *
 * - start: from starting the shell (`npm run web`) to the sign-in screen, from "Sign in" to an
 *   interactive chat list, and the two together; on an empty history and on a big one.
 * - open: from a click on the chat to its newest message on screen, with the big history.
 * - search: from typing a word into Search to its results on screen (UI), and the history
 *   store's own query time for the same words (in the page, no rendering).
 *
 * The big history (100,000 messages by default) is seeded straight into the app's own history
 * store, in the page, through the renderer's own write path (`applyInboxBatch`, in batches of
 * 1,000, as the core's inbox batches arrive) — see appStartup/page/historySeeder.ts. Sending them
 * through the real path (encrypt → server → decrypt) would take about 100,000 ÷ 300/s ≈ 6 minutes
 * (bench:relay) before a single measurement; the records written are the same either way
 * (sealed, with keyed-hash search terms). The seeded history is then marked read (an old history
 * is a read one) with the renderer's own markConversationRead, and that is timed too, with its
 * steps: the read of the unread keys, and the longest chunk (one transaction each; another
 * history write waits behind one step at most).
 * Run: `npm run bench:app` (or `-- --messages 20000 --runs 5`).
 */
// First: finds or installs the browser before the e2e fixtures read PARLEY_CHROMIUM.
import './appStartup/ensureBrowser';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { expect } from '@playwright/test';
import { AppInstance } from '../e2e/fixtures/appLauncher';
import { Person, TEST_PASSWORD } from '../e2e/fixtures/person';
import { startServer } from '../e2e/fixtures/server';
import { bundleHistorySeeder } from './appStartup/historySeederBundle';
import type { SeedRequest } from './appStartup/seedRequest';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '3' },
  },
});
const MESSAGES = positive('--messages', values.messages);
const RUNS = positive('--runs', values.runs);
const BATCH = 1_000;
const RARE_WORD = 'pelican';
const RARE_EVERY = 1_000;
const UI_TIMEOUT = 120_000;

function positive(name: string, value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new Error(`${name} must be a whole number above 0, not ${value}`);
  return number;
}

type Sample = { name: string; milliseconds: number[]; note?: string };
const samples: Sample[] = [];
const record = (name: string, milliseconds: number, note?: string) => {
  const sample = samples.find((item) => item.name === name) ?? samples[samples.push({ name, milliseconds: [], note }) - 1]!;
  sample.milliseconds.push(milliseconds);
  process.stderr.write(`${name}: ${milliseconds.toFixed(0)} ms\n`);
};

type BenchWindow = {
  parley: {
    account: { getState(argument: object): Promise<BridgeResult<{ status: string; account?: { accountId: string } }>>; historyKey(argument: object): Promise<BridgeResult<{ storageKey: string }>> };
    contacts: { findByUsername(argument: { username: string }): Promise<BridgeResult<{ accountId: string }>> };
  };
  parleyBenchHistory: {
    seed(request: SeedRequest): Promise<{ added: number; milliseconds: number; markedRead: number; markReadMilliseconds: number; markReadChunk: number; markReadStepMilliseconds: number[] }>;
    search(accountId: string, storageKey: string, query: string): Promise<{ hits: number; milliseconds: number }>;
    close(): void;
  };
};
type BridgeResult<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

/** Quits alice's app and starts it again, timing each step up to an interactive chat list. */
async function timedRestart(alice: Person, label: string) {
  await alice.app.close();
  const started = performance.now();
  await alice.app.reopen();
  await expect(alice.signInPage.signInButton()).toBeVisible({ timeout: UI_TIMEOUT });
  const signInShown = performance.now();
  await alice.signInPage.signIn(TEST_PASSWORD);
  await expect(alice.search.box()).toBeEditable({ timeout: UI_TIMEOUT });
  await expect(alice.chatList.chat('bob')).toBeVisible({ timeout: UI_TIMEOUT });
  const ready = performance.now();
  record(`start → sign-in screen (${label})`, signInShown - started);
  record(`sign in → chat list (${label})`, ready - signInShown);
  record(`start → interactive chat list (${label})`, ready - started);
}

async function main() {
  const server = await startServer({ logLevel: 'warn' });
  const apps: AppInstance[] = [];
  const launch = async (name: string) => {
    const app = await AppInstance.launch(name, { shell: 'web', serverUrl: server.url });
    apps.push(app);
    return app;
  };
  try {
    const alice = new Person(await launch('alice'), 'alice');
    const bob = new Person(await launch('bob'), 'bob');
    await alice.signUp();
    await bob.signUp();
    await alice.startChatWith('bob');
    await alice.send('hello');
    await bob.app.dispose();

    for (let run = 0; run < RUNS; run++) await timedRestart(alice, 'empty history');

    process.stderr.write(`seeding ${MESSAGES} messages…\n`);
    const seeder = await bundleHistorySeeder();
    await alice.page.evaluate(seeder);
    const seeded = await alice.page.evaluate(
      async ({ count, batchSize, rareWord, rareEvery }) => {
        // No named helpers in here: tsx wraps them in a `__name` call the page does not have.
        const page = globalThis as unknown as BenchWindow;
        const state = await page.parley.account.getState({});
        const key = await page.parley.account.historyKey({});
        const bob = await page.parley.contacts.findByUsername({ username: 'bob' });
        if (!state.ok || !state.value.account) throw new Error(`not signed in: ${JSON.stringify(state)}`);
        if (!key.ok) throw new Error(`no history key: ${key.error.message}`);
        if (!bob.ok) throw new Error(`bob not found: ${bob.error.message}`);
        const storageKey = key.value.storageKey;
        const request = {
          accountId: state.value.account.accountId,
          storageKey,
          peerAccountId: bob.value.accountId,
          count,
          batchSize,
          firstSentAt: Date.now() - count * 60_000,
          rareWord,
          rareEvery,
        };
        const result = await page.parleyBenchHistory.seed(request);
        const searches: Record<string, { hits: number; milliseconds: number }> = {};
        for (const query of [rareWord, 'harbour', 'harb', 'harbour falcon']) {
          searches[query] = await page.parleyBenchHistory.search(request.accountId, storageKey, query);
        }
        page.parleyBenchHistory.close();
        return { ...result, searches };
      },
      { count: MESSAGES, batchSize: BATCH, rareWord: RARE_WORD, rareEvery: RARE_EVERY },
    );
    if (seeded.added !== MESSAGES) throw new Error(`seeded ${seeded.added} of ${MESSAGES} messages`);
    record('seed (applyInboxBatch, batches of 1,000)', seeded.milliseconds, `${Math.round(MESSAGES / (seeded.milliseconds / 1000))} messages/s`);
    record(
      `mark ${seeded.markedRead.toLocaleString('en-US')} incoming as read (markConversationRead, chunks of ${seeded.markReadChunk.toLocaleString('en-US')})`,
      seeded.markReadMilliseconds,
      'what opening a chat with that many unread costs the history store',
    );
    const [keyRead = 0, ...chunks] = seeded.markReadStepMilliseconds;
    record('mark read: reading the unread keys (one read)', keyRead, 'keys only, nothing opened');
    record(
      'mark read: longest chunk (one transaction)',
      Math.max(0, ...chunks),
      `of ${chunks.length}; other history writes wait at most one step`,
    );
    for (const [query, result] of Object.entries(seeded.searches)) {
      record(`search query "${query}" (history store, no UI)`, result.milliseconds, `${result.hits} results (at most 50)`);
    }

    const big = `${MESSAGES.toLocaleString('en-US')} messages`;
    const newest = `number ${MESSAGES}`;
    for (let run = 0; run < RUNS; run++) {
      await timedRestart(alice, big);
      const started = performance.now();
      await alice.chatList.open('bob');
      await expect(alice.conversation.message(newest)).toBeVisible({ timeout: UI_TIMEOUT });
      record(`open the conversation (${big})`, performance.now() - started);

      for (const query of [RARE_WORD, 'harbour']) {
        const searchStarted = performance.now();
        await alice.search.searchMessages(query);
        await expect(alice.search.messageResults().first()).toBeVisible({ timeout: UI_TIMEOUT });
        record(`search "${query}" → results on screen (${big})`, performance.now() - searchStarted);
        await alice.search.box().fill('');
      }
    }
  } finally {
    for (const app of apps) await app.dispose().catch(() => undefined);
    await server.stop();
  }
  report();
}

function report() {
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, Chromium (${process.env.PARLEY_CHROMIUM}), web shell`;
  console.log(`\napp startup: ${MESSAGES} messages seeded, ${RUNS} run(s) each — ${machine}\n`);
  console.log('| measurement | median ms | min ms | max ms | runs | note |');
  console.log('|---|---:|---:|---:|---:|---|');
  for (const sample of samples) {
    const sorted = [...sample.milliseconds].sort((a, b) => a - b);
    console.log(
      `| ${sample.name} | ${median(sorted).toFixed(0)} | ${sorted[0]!.toFixed(0)} | ${sorted[sorted.length - 1]!.toFixed(0)} | ${sorted.length} | ${sample.note ?? ''} |`,
    );
  }
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  const file = new URL(`./results/appStartup-${new Date().toISOString().replace(/[:.]/g, '-')}.json`, import.meta.url);
  writeFileSync(file, JSON.stringify({ machine, messages: MESSAGES, runs: RUNS, samples }, null, 2));
  console.log(`\nwrote ${file.pathname}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
