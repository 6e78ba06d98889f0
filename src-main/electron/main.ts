import Database from 'better-sqlite3';
import { app, dialog, safeStorage, session, type BrowserWindow } from 'electron';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../src-shared/domain/runtime';
import { BridgeDispatcher } from '../core/bridge/bridgeDispatcher';
import type { BridgeHost } from '../core/bridge/bridgeHost';
import { openBridgeHost } from '../core/host/openBridgeHost';
import { isLogLevel, streamLogger } from '../core/util/streamLogger';
import { hardenSession, registerAppScheme } from './appSession';
import { CHROMIUM_DATA_FOLDER, parseElectronArguments, type ElectronArguments } from './electronArguments';
import { serveBridgeOverIpc } from './ipc';
import { chooseKeyProtection } from './os/keychain';
import { describeStartupError, type StartupProblem } from './startupErrors';
import { createAppWindow, guardWebContents } from './windows';

/**
 * The Electron shell's composition root (bundled to dist/electron/main.js with the preload
 * beside it and the renderer in dist/renderer): one profile per instance, its BridgeHost with the
 * vault key sealed by the OS keychain, the bridge over IPC, one hardened window.
 */

const level = process.env.PARLEY_LOG_LEVEL ?? 'info';
const logger: Logger = streamLogger(isLogLevel(level) ? level : 'info', (line) => process.stderr.write(line));

/** The problem on stderr and in a dialog (nobody reads stderr when the app starts from an icon), then exit. */
function fail(problem: StartupProblem): void {
  process.stderr.write(`parley: ${problem.message}\n`);
  dialog.showErrorBox(problem.title, problem.message);
  app.exit(problem.exitCode);
}

/** better-sqlite3 must be built for Electron's ABI; fail at start with how to fix it, not at the first sign-in. */
function probeNativeModules() {
  new Database(':memory:').close();
}

/** The app window, and how to open it once the host is up. */
type Windows = { current: BrowserWindow | undefined; open: (() => void) | undefined };

async function start(options: ElectronArguments, windows: Windows) {
  const rendererDir = join(__dirname, '..', 'renderer');
  hardenSession(session.defaultSession, { rendererDir, logger });
  probeNativeModules();

  const { protection, fallbackReason } = chooseKeyProtection(safeStorage, process.platform);
  if (fallbackReason) logger.warn('electron.keychain_unavailable', { reason: fallbackReason, using: 'password' });
  let host: BridgeHost;
  try {
    host = await openBridgeHost({
      profileDir: options.profileDir,
      serverUrl: options.serverUrl,
      keyProtection: protection,
      clock: { now: () => Date.now() },
      logger,
      allowInsecureTransport: options.insecure,
    });
  } catch (error) {
    return fail(describeStartupError(error, fallbackReason));
  }
  const stopServing = serveBridgeOverIpc({
    dispatcher: new BridgeDispatcher(host.implementation, logger),
    host,
    appWindow: () => windows.current,
    logger,
  });

  let hostClosed = false;
  app.on('will-quit', (event) => {
    if (hostClosed) return;
    // Quit waits for the core to stop and the vault to close.
    event.preventDefault();
    stopServing();
    host
      .close()
      .catch((error: unknown) => logger.error('electron.host_close_failed', { reason: error instanceof Error ? error.name : 'unknown' }))
      .finally(() => {
        hostClosed = true;
        app.quit();
      });
  });

  const openWindow = () => {
    const window = createAppWindow({ preload: join(__dirname, 'preload.js'), devTools: !app.isPackaged });
    window.on('closed', () => {
      if (windows.current === window) windows.current = undefined;
    });
    windows.current = window;
  };
  windows.open = openWindow;
  app.on('activate', () => {
    if (!windows.current) openWindow();
  });
  openWindow();
  logger.info('electron.started', { keychain: protection.kind === 'keychain' });
}

function main() {
  // Both must happen before the app is ready.
  registerAppScheme();
  app.enableSandbox();

  let options: ElectronArguments;
  try {
    options = parseElectronArguments(process.argv.slice(process.defaultApp ? 2 : 1), process.env, {
      appDataDir: app.getPath('appData'),
      workingDir: process.cwd(),
    });
  } catch (error) {
    return fail(describeStartupError(error));
  }
  if (options.ignored.length > 0) logger.info('electron.arguments_ignored', { count: options.ignored.length });

  // Chromium's data (IndexedDB with the history store, the lock below) lives in the profile, so
  // every profile is its own instance with its own history.
  mkdirSync(options.profileDir, { recursive: true, mode: 0o700 });
  app.setPath('userData', join(options.profileDir, CHROMIUM_DATA_FOLDER));
  if (!app.requestSingleInstanceLock()) {
    logger.info('electron.profile_already_open', {});
    app.quit();
    return;
  }

  const windows: Windows = { current: undefined, open: undefined };
  // Starting the app again on an open profile brings its window forward (or back, on macOS).
  app.on('second-instance', () => {
    const window = windows.current;
    if (!window) return windows.open?.();
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, logger));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => app.quit());

  app
    .whenReady()
    .then(() => start(options, windows))
    .catch((error: unknown) => fail(describeStartupError(error)));
}

main();
