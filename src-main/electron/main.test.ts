import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ok } from '../../src-shared/ipc/result';
import { writeAccount } from '../core/account/accountRecord';
import { createVault, writeKeyFile } from '../core/host/profileKeyFile';
import { bundleElectronShell } from './bundleElectronShell';
import { CONTENT_SECURITY_POLICY } from './contentSecurityPolicy';
import { PARLEY_CALL_CHANNEL } from './ipcChannels';
import { keychainOf } from './os/keychain';
import { createFakeElectron, preventable, runBundledMain, type FakeElectron } from './testing/fakeElectron';

/**
 * The composition root as built (dist/electron/main.js), run over a fake Electron: what happens
 * before ready, the window it opens, the session it hardens, the bridge it serves over IPC with
 * a real BridgeHost on a fresh profile, and a quit that closes the host.
 */

let base: string;
let mainPath: string;
const SERVER = 'http://127.0.0.1:9';

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'parley-electron-main-'));
  mkdirSync(join(base, 'renderer'));
  writeFileSync(join(base, 'renderer', 'index.html'), '<!doctype html><title>Parley</title>');
  await bundleElectronShell({ outDir: join(base, 'electron') });
  mainPath = join(base, 'electron', 'main.js');
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

const appPage = (fake: FakeElectron, url = 'parley://app/index.html') => ({
  sender: { id: fake.windows[0]!.webContents.id },
  senderFrame: { url, parent: null, detached: false },
});

describe('main.js over a fake Electron', () => {
  it('registers the scheme, enables the sandbox and puts userData in the profile before taking the lock, all before ready', () => {
    const fake = createFakeElectron({ appDataDir: join(base, 'appdata-order') });
    runBundledMain(mainPath, fake, ['--profile', 'ada'], { PARLEY_SERVER_URL: SERVER });
    const profileDir = join(base, 'appdata-order', 'Parley', 'profiles', 'ada');
    expect(fake.calls).toEqual([
      'registerSchemesAsPrivileged [{"scheme":"parley","privileges":{"standard":true,"secure":true,"supportFetchAPI":true,"codeCache":true}}]',
      'enableSandbox',
      `setPath userData ${join(profileDir, 'electron')}`,
      'requestSingleInstanceLock',
    ]);
    expect(existsSync(profileDir)).toBe(true);
  });

  it('serves one profile: a sealed window, the app protocol with its CSP, the bridge over IPC, and a quit that closes the host', async () => {
    const fake = createFakeElectron({ appDataDir: join(base, 'appdata-run') });
    const profileDir = join(base, 'profiles', 'bob');
    const { stderr } = runBundledMain(mainPath, fake, ['--profile', profileDir, '--server', SERVER, '--no-sandbox'], {});
    fake.ready();
    const window = await fake.firstWindow;

    expect(window.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, devTools: true });
    expect(window.options.webPreferences.preload).toBe(join(base, 'electron', 'preload.js'));
    expect(existsSync(window.options.webPreferences.preload as string)).toBe(true);
    expect(window.webContents.url).toBe('parley://app/index.html');

    const page = await fake.session.appProtocol!(new Request('parley://app/index.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await page.text()).toContain('<title>Parley</title>');
    expect((await fake.session.appProtocol!(new Request('parley://app/../electron/main.js'))).status).toBe(404);

    const call = fake.handlers.get(PARLEY_CALL_CHANNEL)!;
    expect(await call(appPage(fake), { service: 'account', method: 'getState', argument: {} })).toEqual(ok({ status: 'signed_out' }));
    expect(await call(appPage(fake, 'https://evil.example/'), { service: 'account', method: 'getState', argument: {} })).toMatchObject({ ok: false });

    let granted: boolean | undefined;
    fake.session.permissionRequest!(window.webContents, 'media', (value: boolean) => (granted = value), { requestingUrl: 'parley://app/index.html' });
    expect(granted).toBe(false);
    expect(fake.session.permissionCheck!(window.webContents, 'notifications', 'parley://app', {})).toBe(false);
    let cancelled: boolean | undefined;
    fake.session.beforeRequest!({ url: 'https://tracker.example/pixel.gif', resourceType: 'image' }, ({ cancel }) => (cancelled = cancel));
    expect(cancelled).toBe(true);

    expect(window.webContents.windowOpenHandler!({ url: 'https://example.org/page' })).toEqual({ action: 'deny' });
    expect(window.webContents.windowOpenHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(fake.opened).toEqual(['https://example.org/page']);
    const navigation = preventable({ url: 'https://evil.example/' });
    window.webContents.emit('will-navigate', navigation);
    expect(navigation.defaultPrevented).toBe(true);
    const webview = preventable({});
    window.webContents.emit('will-attach-webview', webview);
    expect(webview.defaultPrevented).toBe(true);

    const quitting = preventable({});
    fake.app.emit('will-quit', quitting);
    expect(quitting.defaultPrevented).toBe(true);
    await fake.quit;
    expect(fake.handlers.has(PARLEY_CALL_CHANNEL)).toBe(false);
    expect(stderr.join('')).toContain('"event":"electron.started"');
    expect(stderr.join('')).toContain('"keychain":true');
    // Once the host has closed, quitting goes ahead.
    const again = preventable({});
    fake.app.emit('will-quit', again);
    expect(again.defaultPrevented).toBe(false);
  });

  it('uses the password where Linux has no keyring, and says so', async () => {
    const fake = createFakeElectron({ appDataDir: join(base, 'appdata-nokeyring'), keyring: false });
    const { stderr } = runBundledMain(mainPath, fake, ['--profile', join(base, 'profiles', 'carol')], { PARLEY_SERVER_URL: SERVER });
    fake.ready();
    await fake.firstWindow;
    expect(stderr.join('')).toContain('electron.keychain_unavailable');
    expect(stderr.join('')).toContain('"keychain":false');
    fake.app.emit('will-quit', preventable({}));
    await fake.quit;
  });

  it('shows a usage mistake in a dialog and exits with 2 before touching the profile', () => {
    const fake = createFakeElectron({ appDataDir: join(base, 'appdata-usage') });
    runBundledMain(mainPath, fake, ['--profile', 'ada'], {});
    expect(fake.errorBoxes).toHaveLength(1);
    expect(fake.errorBoxes[0]!.message).toContain('PARLEY_SERVER_URL');
    expect(fake.calls).toContain('exit 2');
    expect(fake.calls).not.toContain('requestSingleInstanceLock');
  });

  it("passes --insecure to the host: a profile whose server is http:// to another machine opens only with it", async () => {
    // The account's server, not --server (on this machine, so the arguments pass): only the host can refuse it.
    const keychainSecret = 0x5b;
    const profileDir = join(base, 'profiles', 'remote');
    const { vault, vaultKey } = createVault(profileDir);
    const transaction = vault.transaction();
    writeAccount(transaction, { serverUrl: 'http://parley.invalid', accountId: 'a', deviceId: 1, username: 'ada', deviceSecret: 's', registeredAt: 0 });
    transaction.commit();
    vault.close();
    const sealing = createFakeElectron({ appDataDir: join(base, 'appdata-remote'), keychainSecret });
    await writeKeyFile(profileDir, vaultKey, { kind: 'keychain', keychain: keychainOf(sealing.electron.safeStorage) });

    const refused = createFakeElectron({ appDataDir: join(base, 'appdata-remote'), keychainSecret });
    runBundledMain(mainPath, refused, ['--profile', profileDir, '--server', SERVER], {});
    refused.ready();
    await vi.waitFor(() => expect(refused.calls).toContain('exit 1'));
    expect(refused.errorBoxes[0]!.message).toMatch(/refusing unencrypted http:\/\/parley\.invalid.*--insecure/);
    expect(refused.windows).toHaveLength(0);

    const allowed = createFakeElectron({ appDataDir: join(base, 'appdata-remote'), keychainSecret });
    runBundledMain(mainPath, allowed, ['--profile', profileDir, '--server', SERVER, '--insecure'], {});
    allowed.ready();
    await allowed.firstWindow;
    expect(allowed.errorBoxes).toHaveLength(0);
    allowed.app.emit('will-quit', preventable({}));
    await allowed.quit;
  });

  it('quits at once when the profile is already open in another instance', () => {
    const fake = createFakeElectron({ appDataDir: join(base, 'appdata-locked'), lock: false });
    runBundledMain(mainPath, fake, [], { PARLEY_SERVER_URL: SERVER });
    expect(fake.calls.slice(-2)).toEqual(['requestSingleInstanceLock', 'quit']);
    expect(fake.app.count('second-instance')).toBe(0);
  });
});
