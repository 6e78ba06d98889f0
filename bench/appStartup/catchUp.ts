import { expect } from '@playwright/test';
import type { Person } from '../../e2e/fixtures/person';
import { TEST_PASSWORD } from '../../e2e/fixtures/person';
import type { TemporaryDirectories } from '../../integration/harness/temporaryDirectory';
import { TestDevice } from '../../integration/harness/testDevice';
import { cpuSeconds, groupCpuSeconds } from '../processCpu';
import { chromiumCpu } from './rendererMemory';

export type CatchUpResult = {
  messages: number;
  /** Sending them all while the app was closed, until the server had stored every one. */
  queueMilliseconds: number;
  /** From the click on "Sign in" (the vault opens, the core connects) to the first queued message (any) and the last one on screen. */
  firstOnScreenMilliseconds: number;
  lastOnScreenMilliseconds: number;
  messagesPerSecond: number;
  /** The renderer's main thread over the same span: PerformanceObserver 'longtask' entries (over 50 ms each). */
  longestTaskMilliseconds: number;
  longTasks: number;
  longTaskTotalMilliseconds: number;
  /** The longest time between two animation frames over the same span. */
  longestFrameGapMilliseconds: number;
  /** Messages of the sender's conversation in the history store afterwards (must be `messages`: each once). */
  stored: number;
  /**
   * CPU milliseconds per queued message each process spent from just before the click to just
   * after the last was on screen: the server, the web shell (main and the core), and each kind of
   * Chromium process (the renderer is the page). Not a rate: idle time adds nothing.
   */
  cpuMillisecondsPerMessage: Record<string, number>;
};

type CpuReading = Map<string, number>;

/** CPU milliseconds so far of the server, the web shell's process group and each kind of Chromium process. */
function readCpu(serverPid: number | undefined, alice: Person): CpuReading {
  const reading: CpuReading = new Map();
  if (serverPid !== undefined) reading.set('server', cpuSeconds(serverPid) * 1000);
  const shell = alice.app.shellProcessGroup;
  if (shell !== undefined) reading.set('web shell (main, core)', groupCpuSeconds(shell) * 1000);
  for (const [kind, milliseconds] of chromiumCpu(alice.app.browserDataDir)) reading.set(`chromium ${kind}`, milliseconds);
  return reading;
}

type ProbeState = {
  clickAt: number | null;
  firstAt: number | null;
  lastAt: number | null;
  longTasks: Array<{ startTime: number; duration: number }>;
  longestFrameGap: number;
};

/**
 * Installed in the page before "Sign in" is clicked, as plain script text (no transpiled helpers):
 * notes the click, each long task, each frame's distance from the last, and the first frames
 * whose DOM holds any queued text and the last one (the chat list's preview).
 */
function probeScript(firstText: string, lastText: string): string {
  return `(() => {
    const state = { clickAt: null, firstAt: null, lastAt: null, longTasks: [], longestFrameGap: 0 };
    window.__parleyCatchUp = state;
    const clicked = (event) => {
      if (state.clickAt === null && event.target instanceof Element && event.target.closest('button, form')) state.clickAt = performance.now();
    };
    document.addEventListener('click', clicked, true);
    document.addEventListener('submit', clicked, true);
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) state.longTasks.push({ startTime: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask' });
    let previous = performance.now();
    const frame = (now) => {
      if (state.clickAt !== null) state.longestFrameGap = Math.max(state.longestFrameGap, now - previous);
      previous = now;
      const text = document.body.textContent || '';
      if (state.firstAt === null && text.includes(${JSON.stringify(firstText)})) state.firstAt = now;
      if (text.includes(${JSON.stringify(lastText)})) { state.lastAt = now; return; }
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  })()`;
}

/**
 * The catch-up: alice's app is closed while another account (a core in this process) queues
 * `count` messages to her; then her app starts and she signs in. Timed from the click on
 * "Sign in" to the last of them on screen (the chat list's preview), with the renderer's longest
 * task over that span.
 */
export async function measureCatchUp(options: {
  alice: Person;
  aliceAccountId: string;
  serverUrl: string;
  /** The server's process, for its CPU (left out when undefined). */
  serverPid: number | undefined;
  count: number;
  directories: TemporaryDirectories;
  timeoutMs: number;
  storedIn: (conversationId: string) => Promise<number>;
  /** Wraps the span from the click to the last on screen (bench:app's `observed`: CPU shares, --profile). */
  around?: <T>(work: () => Promise<T>) => Promise<T>;
}): Promise<CatchUpResult> {
  const { alice, count } = options;
  await alice.app.close();
  const sender = await TestDevice.register(options.serverUrl, `catchup${Math.floor(Math.random() * 1e9)}`, options.directories);
  // Strictly increasing times: the chat list shows the newest by sentAt, so the last sent must be the newest.
  let last = 0;
  await sender.start({ clock: { now: () => (last = Math.max(Date.now(), last + 1)) } });
  const textOf = (index: number) => `queued ${index} of ${count}`;
  const queueStarted = performance.now();
  try {
    const sent: Array<Promise<void>> = [];
    for (let start = 1; start <= count; start += 1_000) {
      const chunk: Array<Promise<{ messageId: string }>> = [];
      for (let index = start; index < Math.min(count + 1, start + 1_000); index++) {
        chunk.push(sender.core.sendText({ accountId: options.aliceAccountId }, textOf(index)));
      }
      for (const message of await Promise.all(chunk)) sent.push(sender.core.waitUntilSent(message.messageId));
    }
    await Promise.all(sent);
  } finally {
    await sender.stop();
  }
  const queueMilliseconds = performance.now() - queueStarted;
  process.stderr.write(`catch-up: ${count} messages queued in ${(queueMilliseconds / 1000).toFixed(1)} s\n`);

  await alice.app.reopen();
  await expect(alice.signInPage.signInButton()).toBeVisible({ timeout: options.timeoutMs });
  await alice.page.evaluate(probeScript('queued ', textOf(count)));
  const around = options.around ?? (<T>(work: () => Promise<T>) => work());
  const cpuBefore = readCpu(options.serverPid, alice);
  await around(async () => {
    await alice.signInPage.signIn(TEST_PASSWORD);
    await alice.page.waitForFunction(() => (globalThis as { __parleyCatchUp?: ProbeState }).__parleyCatchUp?.lastAt != null, undefined, {
      timeout: options.timeoutMs,
      polling: 250,
    });
  });
  const cpuAfter = readCpu(options.serverPid, alice);
  const cpuMillisecondsPerMessage: Record<string, number> = {};
  for (const [name, milliseconds] of cpuAfter) {
    const spent = (milliseconds - (cpuBefore.get(name) ?? 0)) / count;
    if (spent > 0.0005) cpuMillisecondsPerMessage[name] = spent;
  }
  const state = (await alice.page.evaluate('window.__parleyCatchUp')) as ProbeState;
  if (state.clickAt === null || state.firstAt === null || state.lastAt === null) throw new Error(`catch-up probe incomplete: ${JSON.stringify(state)}`);
  const { clickAt, lastAt } = state;
  const during = state.longTasks.filter((task) => task.startTime + task.duration >= clickAt && task.startTime <= lastAt);
  const stored = await options.storedIn(sender.accountId);
  const lastOnScreenMilliseconds = lastAt - clickAt;
  return {
    messages: count,
    queueMilliseconds,
    firstOnScreenMilliseconds: state.firstAt - clickAt,
    lastOnScreenMilliseconds,
    messagesPerSecond: count / (lastOnScreenMilliseconds / 1000),
    longestTaskMilliseconds: Math.max(0, ...during.map((task) => task.duration)),
    longTasks: during.length,
    longTaskTotalMilliseconds: during.reduce((sum, task) => sum + task.duration, 0),
    longestFrameGapMilliseconds: state.longestFrameGap,
    stored,
    cpuMillisecondsPerMessage,
  };
}
