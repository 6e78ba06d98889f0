import { chromium, type Browser } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountState } from '../src-shared/ipc/account';
import type { ParleyBridge } from '../src-shared/ipc/bridge';
import type { BridgeHost } from '../src-main/core/bridge/bridgeHost';
import { openBridgeHost } from '../src-main/core/host/openBridgeHost';
import { streamLogger } from '../src-main/core/util/streamLogger';
import { locateBrowser, missingBrowserLine, nodeBrowserHost } from '../src-main/web-shell/browserLocator';
import { CHROMIUM_WINDOW_FLAGS } from '../src-main/web-shell/chromiumWindow';
import { bundlePageBridge } from '../src-main/web-shell/pageBundle';
import { WebShellServer } from '../src-main/web-shell/webShellServer';
import { startServer, type ServerUnderTest } from './harness/serverUnderTest';
import { TemporaryDirectories } from './harness/temporaryDirectory';
import { makeRendererFixture, redeem } from './webShellFixture';

// npm test finds or installs the browser first (tools/ensureBrowser.ts); this run only looks.
const BROWSER = locateBrowser(nodeBrowserHost(process.env));
const CHROMIUM = BROWSER.found ? BROWSER.executable : '';

/** What the page sees: `window.parley`, and what the test's listeners collected. */
type PageGlobals = { parley: ParleyBridge; states: AccountState[] };

describe.skipIf(!BROWSER.found)(`the page-side bridge in Chromium (${BROWSER.found ? CHROMIUM : `skipped: ${missingBrowserLine(BROWSER)}`})`, () => {
  const directories = new TemporaryDirectories();
  let server: ServerUnderTest;
  let host: BridgeHost;
  let shell: WebShellServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer({ name: 'sqlite' }, directories);
    const logger = streamLogger('silent', () => undefined);
    shell = new WebShellServer({ rendererDir: makeRendererFixture(directories), bridgeScript: await bundlePageBridge(), logger });
    await shell.listen(0);
    host = await openBridgeHost({
      profileDir: directories.make('web-shell-browser'),
      serverUrl: server.url,
      keyProtection: { kind: 'password' },
      clock: { now: () => Date.now() },
      logger,
    });
    shell.serve(host);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_WINDOW_FLAGS, headless: true });
  });
  afterAll(async () => {
    await browser?.close();
    await shell?.close();
    await host?.close();
    await server?.close();
    directories.removeAll();
  });

  it('defines window.parley before the renderer runs, and carries calls and events over the socket', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });

    await page.goto(shell.launchUrl);
    expect(page.url()).toBe(`${shell.origin}/`);
    await expect.poll(() => page.textContent('#root')).toBe('object');
    expect(await page.evaluate(() => (globalThis as unknown as { document: { cookie: string } }).document.cookie)).toBe('');

    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).parley.account.getState({}))).toEqual({
      ok: true,
      value: { status: 'signed_out' },
    });
    await page.evaluate(() => {
      const globals = globalThis as unknown as PageGlobals;
      globals.states = [];
      globals.parley.account.onDidChangeState((state) => globals.states.push(state));
    });
    const registered = await page.evaluate(() =>
      (globalThis as unknown as PageGlobals).parley.account.register({ username: 'browseralice', password: 'correct horse battery' }),
    );
    expect(registered).toMatchObject({ ok: true, value: { username: 'browseralice' } });
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).states.length > 0);
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).states)).toMatchObject([
      { status: 'signed_in', account: { username: 'browseralice' } },
    ]);
    // A refused argument comes back as a Result, not an exception.
    expect(
      await page.evaluate(() => (globalThis as unknown as PageGlobals).parley.contacts.findByUsername({ username: '!' })),
    ).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    // The page cannot replace the bridge.
    expect(
      await page.evaluate(() => {
        try {
          (globalThis as unknown as { parley: unknown }).parley = {};
        } catch {
          // Strict-mode code throws here; sloppy code is ignored. Either way the bridge stays.
        }
        return typeof (globalThis as unknown as PageGlobals).parley.account.getState;
      }),
    ).toBe('function');

    // A reload keeps the session (the cookie), and the state lives in the host.
    await page.reload();
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).parley.account.getState({}))).toMatchObject({
      ok: true,
      value: { status: 'signed_in' },
    });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('refuses a second browser the used link', async () => {
    await redeem(shell.launchUrl).catch(() => undefined); // used by the test above, or here when run alone
    const context = await browser.newContext();
    const page = await context.newPage();
    const answer = await page.goto(shell.launchUrl);
    expect(answer?.status()).toBe(403);
    expect(await page.textContent('body')).toContain('used already');
    await context.close();
  });
});
