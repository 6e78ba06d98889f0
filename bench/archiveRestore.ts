/**
 * bench/archiveRestore: a newly linked device restoring the account's archive (C5), end to end
 * in the app — download, decrypt, store and index into a fresh history store, with the screen
 * live. An in-process desk (alice's first device) seeds the archive with N messages over several
 * chats, sealed with the account's archive key as its uploads seal them; then a web-shell app
 * asks to be linked, the desk answers, and the clock runs from the desk's answer until the
 * newest restored message is on the laptop's screen and the restore status is gone. The
 * renderer's longest task and longest gap between frames over that span say whether the UI
 * stayed usable. The history store is counted afterwards: every message once.
 * Run: `npm run bench:restore` (or `-- --messages 20000 --chats 5`).
 */
import './appStartup/ensureBrowser';
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { expect } from '@playwright/test';
import buildWhatTheSuitesNeed from '../e2e/globalSetup';
import { AppInstance } from '../e2e/fixtures/appLauncher';
import { Person } from '../e2e/fixtures/person';
import { LinkThisDevicePage } from '../e2e/pages/LinkThisDevicePage';
import { ServerProcess } from '../integration/harness/serverProcess';
import { freePort } from '../integration/harness/serverUnderTest';
import { TemporaryDirectories } from '../integration/harness/temporaryDirectory';
import { TestDevice } from '../integration/harness/testDevice';
import { seedArchive } from '../integration/harness/archiveSeeder';
import { GENEROUS_TEST_LIMITS } from '../src-server/testing/testServer';
import { bundleHistorySeeder } from './appStartup/historySeederBundle';
import { chromiumVersion, currentLoad, describeMachine, machineLine } from './appStartup/machine';
import { countInPage, historyInPage } from './appStartup/pageHistory';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '100000' },
    chats: { type: 'string', default: '10' },
  },
});
const MESSAGES = Number(values.messages);
const CHATS = Number(values.chats);
if (!Number.isInteger(MESSAGES) || MESSAGES < 1) throw new Error(`--messages must be a whole number above 0, not ${values.messages}`);
if (!Number.isInteger(CHATS) || CHATS < 1 || CHATS > 100) throw new Error(`--chats must be a whole number from 1 to 100, not ${values.chats}`);
const UI_TIMEOUT = 15 * 60_000;
const WORDS = ['harbour', 'lantern', 'meadow', 'copper', 'falcon', 'orchard', 'pebble', 'thistle', 'violet', 'willow'];

const textOf = (index: number) => `restored ${index} of ${MESSAGES}: ${WORDS[index % WORDS.length]} ${WORDS[(index * 7) % WORDS.length]}`;

type ProbeState = { startAt: number | null; lastAt: number | null; longTasks: Array<{ startTime: number; duration: number }>; longestFrameGap: number };

/** In the laptop's page: long tasks, frame gaps, and the first frame with the newest text on screen and no restore status. */
function probeScript(lastText: string) {
  return `(() => {
    const state = { startAt: null, lastAt: null, longTasks: [], longestFrameGap: 0 };
    window.__parleyRestore = state;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) state.longTasks.push({ startTime: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask' });
    let previous = performance.now();
    const frame = (now) => {
      if (state.startAt !== null) state.longestFrameGap = Math.max(state.longestFrameGap, now - previous);
      previous = now;
      if (state.startAt !== null && (document.body.textContent || '').includes(${JSON.stringify(lastText)})
          && !document.querySelector('[role="status"][aria-label="Restoring history"]')) { state.lastAt = now; return; }
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  })()`;
}

async function main() {
  const loadAtStart = currentLoad();
  buildWhatTheSuitesNeed();
  const directories = new TemporaryDirectories();
  const server = new ServerProcess({ port: await freePort(), dataDir: directories.make('server'), backend: { name: 'sqlite' }, logLevel: 'warn', limits: GENEROUS_TEST_LIMITS });
  await server.start();
  const devices: TestDevice[] = [];
  let app: AppInstance | undefined;
  try {
    const desk = await TestDevice.register(server.url, 'alice', directories);
    devices.push(desk);
    await desk.start();
    const peers: string[] = [];
    for (let chat = 0; chat < CHATS; chat++) {
      const peer = await TestDevice.register(server.url, `friend${chat}`, directories);
      devices.push(peer);
      await peer.start({ connect: false });
      peers.push(peer.accountId);
    }

    const seedStarted = performance.now();
    await seedArchive(desk, { serverUrl: server.url, peers, count: MESSAGES, textOf });
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    process.stderr.write(`bench:restore: archive of ${MESSAGES} messages in ${CHATS} chats seeded in ${seedSeconds.toFixed(1)} s\n`);

    app = await AppInstance.launch('alice-laptop', { shell: 'web', serverUrl: server.url, initScript: probeScript(textOf(MESSAGES - 1)) });
    const laptop = new Person(app, 'alice');
    const code = await new LinkThisDevicePage(laptop.page).requestCode('laptop only password');
    await laptop.page.evaluate(() => {
      (globalThis as unknown as { __parleyRestore: ProbeState }).__parleyRestore.startAt = performance.now();
    });
    const started = performance.now();
    await desk.core.devices.link(code);
    await laptop.page.waitForFunction(() => (globalThis as unknown as { __parleyRestore: ProbeState }).__parleyRestore.lastAt !== null, undefined, {
      timeout: UI_TIMEOUT,
      polling: 250,
    });
    const wallSeconds = (performance.now() - started) / 1000;
    const state = (await laptop.page.evaluate('window.__parleyRestore')) as ProbeState;
    const seconds = (state.lastAt! - state.startAt!) / 1000;
    const during = state.longTasks.filter((task) => task.startTime + task.duration >= state.startAt! && task.startTime <= state.lastAt!);
    await expect(laptop.chatList.restoreStatus()).toHaveCount(0);

    const seeder = await bundleHistorySeeder();
    const account = await historyInPage(laptop.page, seeder);
    let stored = 0;
    for (const peer of peers) stored += await countInPage(laptop.page, account, peer);
    const machine = describeMachine(await chromiumVersion(laptop.page), loadAtStart);

    const result = {
      messages: MESSAGES,
      chats: CHATS,
      seedSeconds,
      restoreSeconds: seconds,
      wallSeconds,
      messagesPerSecond: MESSAGES / seconds,
      longestTaskMilliseconds: Math.max(0, ...during.map((task) => task.duration)),
      longTasks: during.length,
      longestFrameGapMilliseconds: state.longestFrameGap,
      stored,
    };
    const format = (value: number, digits = 0) => value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
    console.log(`\narchive restore on a newly linked device (web shell): ${format(MESSAGES)} messages in ${CHATS} chats\nmachine: ${machineLine(machine)}\n`);
    console.log('| measure | value |');
    console.log('|---|---:|');
    console.log(`| restore, desk's answer → newest on screen, status gone | ${format(seconds, 1)} s |`);
    console.log(`| restore rate (download, decrypt, store, index, paint) | ${format(result.messagesPerSecond)} msg/s |`);
    console.log(`| renderer's longest task meanwhile | ${format(result.longestTaskMilliseconds)} ms (${result.longTasks} over 50 ms) |`);
    console.log(`| longest gap between two frames meanwhile | ${format(result.longestFrameGapMilliseconds)} ms |`);
    console.log(`| messages in the history store afterwards | ${format(stored)} |`);
    mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
    const file = new URL(`./results/archiveRestore-${new Date().toISOString().replace(/[:.]/g, '-')}.json`, import.meta.url);
    writeFileSync(file, JSON.stringify({ machine, result }, null, 2));
    console.log(`\nwritten to ${file.pathname}`);
    if (stored !== MESSAGES) throw new Error(`${stored} of ${MESSAGES} messages stored`);
  } finally {
    await app?.close().catch(() => undefined);
    await Promise.all(devices.map((device) => device.stop().catch(() => undefined)));
    await server.stop();
    directories.removeAll();
  }
}

await main();
