import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleElectronShell } from '../src-main/electron/bundleElectronShell';
import { PARLEY_CALL_CHANNEL, PARLEY_EVENT_CHANNEL } from '../src-main/electron/ipcChannels';
import { createFakeElectron, preventable, runBundledMain, type FakeElectron } from '../src-main/electron/testing/fakeElectron';
import type { AccountState } from '../src-shared/ipc/account';
import type { Result } from '../src-shared/ipc/result';
import { testBackends } from '../src-server/testing/backends';
import { useServerPerTest } from './harness/serverFixture';

/**
 * The Electron shell as built (dist/electron/main.js) over a fake Electron (its binary cannot be
 * downloaded here) against a real server: sign-up over IPC, the state event forwarded to the
 * window, and the keychain-sealed vault key that opens the profile at the next start without a
 * password, or not at all where the keychain is gone.
 */

const PASSWORD = 'a long enough password';
const KEYCHAIN_SECRET = 0x5a;

describe('the Electron shell against a real server', () => {
  const fixture = useServerPerTest(testBackends()[0]!);
  let mainPath: string;

  beforeAll(async () => {
    const base = fixture.directories.make('electron-shell');
    mkdirSync(join(base, 'renderer'));
    writeFileSync(join(base, 'renderer', 'index.html'), '<!doctype html><title>Parley</title>');
    await bundleElectronShell({ outDir: join(base, 'electron') });
    mainPath = join(base, 'electron', 'main.js');
  });

  /** Starts the app on `profileDir` and waits for its window. */
  async function start(profileDir: string, options: { keyring?: boolean } = {}) {
    const fake = createFakeElectron({ appDataDir: fixture.directories.make('appdata'), keychainSecret: KEYCHAIN_SECRET, ...options });
    const run = runBundledMain(mainPath, fake, ['--profile', profileDir, '--server', fixture.server.url], {});
    fake.ready();
    return { fake, run, window: await fake.firstWindow };
  }

  /** A bridge call as the preload makes it, from the window's page. */
  function call(fake: FakeElectron, service: string, method: string, argument: unknown) {
    const event = { sender: { id: fake.windows[0]!.webContents.id }, senderFrame: { url: 'parley://app/index.html', parent: null, detached: false } };
    return fake.handlers.get(PARLEY_CALL_CHANNEL)!(event, { service, method, argument }) as Promise<Result<unknown>>;
  }

  async function quit(fake: FakeElectron) {
    fake.app.emit('will-quit', preventable({}));
    await fake.quit;
  }

  it('signs up over IPC, forwards the state event to the window, and opens signed in next time with the keychain', async () => {
    const profileDir = join(fixture.directories.make('electron-profile'), 'ada');
    const first = await start(profileDir);
    expect(await call(first.fake, 'account', 'getState', {})).toEqual({ ok: true, value: { status: 'signed_out' } });

    const signedIn = first.window.webContents.nextSent(
      (channel, payload) =>
        channel === PARLEY_EVENT_CHANNEL &&
        (payload as { event: string; payload: AccountState }).event === 'onDidChangeState' &&
        (payload as { payload: AccountState }).payload.status === 'signed_in',
    );
    const registered = await call(first.fake, 'account', 'register', { username: 'ada', password: PASSWORD });
    expect(registered).toMatchObject({ ok: true, value: { username: 'ada' } });
    expect(await signedIn).toMatchObject({ service: 'account', event: 'onDidChangeState', payload: { status: 'signed_in', account: { username: 'ada' } } });
    const historyKey = await call(first.fake, 'account', 'historyKey', {});
    expect(historyKey).toMatchObject({ ok: true });
    await quit(first.fake);
    // The vault key is sealed by the keychain; no password-wrapped copy exists.
    expect(existsSync(join(profileDir, 'vault-key.keychain'))).toBe(true);
    expect(existsSync(join(profileDir, 'vault-key.json'))).toBe(false);

    const second = await start(profileDir);
    expect(await call(second.fake, 'account', 'getState', {})).toMatchObject({ ok: true, value: { status: 'signed_in', account: { username: 'ada' } } });
    expect(await call(second.fake, 'account', 'historyKey', {})).toEqual(historyKey);
    await quit(second.fake);
  });

  it('refuses to open a keychain profile where the keychain is gone, and says why in a dialog', async () => {
    const profileDir = join(fixture.directories.make('electron-profile'), 'bob');
    const first = await start(profileDir);
    expect(await call(first.fake, 'account', 'register', { username: 'bob', password: PASSWORD })).toMatchObject({ ok: true });
    await quit(first.fake);

    const fake = createFakeElectron({ appDataDir: fixture.directories.make('appdata'), keyring: false });
    const exited = new Promise<void>((resolve) => {
      const exit = fake.electron.app.exit;
      fake.electron.app.exit = (code: number) => {
        resolve();
        return exit(code);
      };
    });
    runBundledMain(mainPath, fake, ['--profile', profileDir, '--server', fixture.server.url], {});
    fake.ready();
    await exited;
    expect(fake.calls).toContain('exit 1');
    expect(fake.errorBoxes[0]!.message).toContain('sealed by the system keychain');
    expect(fake.errorBoxes[0]!.message).toContain('basic_text');
    expect(fake.windows).toHaveLength(0);
  });
});
