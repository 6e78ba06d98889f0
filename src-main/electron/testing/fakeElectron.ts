import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Just enough of Electron's main-process API to run the bundled dist/electron/main.js in plain
 * Node (Electron's binary is not available on this project's build machines): every call the
 * composition root makes is recorded, and the test plays Electron's part (ready, IPC, quit).
 */

type Listener = (...args: never[]) => unknown;

class Events {
  private readonly listeners = new Map<string, Listener[]>();
  on(name: string, listener: Listener) {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
    return this;
  }
  once(name: string, listener: Listener) {
    return this.on(name, listener);
  }
  emit(name: string, ...args: unknown[]) {
    for (const listener of this.listeners.get(name) ?? []) (listener as (...values: unknown[]) => unknown)(...args);
  }
  count(name: string) {
    return this.listeners.get(name)?.length ?? 0;
  }
}

/** An event whose default the code may prevent, as Electron's are. */
export const preventable = <T extends object>(fields: T) => {
  const event = { ...fields, defaultPrevented: false, preventDefault: () => (event.defaultPrevented = true) };
  return event;
};

export class FakeWebContents extends Events {
  url = '';
  readonly sent: { channel: string; payload: unknown }[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  constructor(readonly id: number) {
    super();
  }
  get mainFrame() {
    return { url: this.url, parent: null, detached: false };
  }
  getURL() {
    return this.url;
  }
  isDestroyed() {
    return false;
  }
  send(channel: string, payload: unknown) {
    this.sent.push({ channel, payload });
    for (const waiter of [...this.waiters]) {
      if (!waiter.matches(channel, payload)) continue;
      this.waiters.delete(waiter);
      waiter.resolve(payload);
    }
  }
  private readonly waiters = new Set<{ matches: (channel: string, payload: unknown) => boolean; resolve: (payload: unknown) => void }>();
  /** The next message sent to the page that matches (one already sent counts). */
  nextSent(matches: (channel: string, payload: unknown) => boolean): Promise<unknown> {
    const earlier = this.sent.find((message) => matches(message.channel, message.payload));
    if (earlier) return Promise.resolve(earlier.payload);
    return new Promise((resolve) => this.waiters.add({ matches, resolve }));
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
}

export function createFakeElectron(options: {
  appDataDir: string;
  lock?: boolean;
  /** false: Linux without a keyring (safeStorage's basic_text backend). */
  keyring?: boolean;
  /** The fake keychain's secret; the same value is the same OS user on the same machine. */
  keychainSecret?: number;
}) {
  const calls: string[] = [];
  const errorBoxes: { title: string; message: string }[] = [];
  const opened: string[] = [];
  const windows: FakeBrowserWindow[] = [];
  const handlers = new Map<string, (...args: unknown[]) => unknown>();
  const session = {
    appProtocol: undefined as ((request: Request) => Promise<Response>) | undefined,
    permissionRequest: undefined as ((...args: unknown[]) => void) | undefined,
    permissionCheck: undefined as ((...args: unknown[]) => boolean) | undefined,
    beforeRequest: undefined as ((details: { url: string; resourceType: string }, callback: (response: { cancel: boolean }) => void) => void) | undefined,
  };
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  let windowCreated!: (window: FakeBrowserWindow) => void;
  const firstWindow = new Promise<FakeBrowserWindow>((resolve) => (windowCreated = resolve));
  let quitRequested!: () => void;
  const quit = new Promise<void>((resolve) => (quitRequested = resolve));
  const sealKey = options.keychainSecret ?? randomBytes(1)[0]! | 1;

  const app = Object.assign(new Events(), {
    isPackaged: false,
    getPath: (name: string) => {
      if (name !== 'appData') throw new Error(`unexpected getPath(${name})`);
      return options.appDataDir;
    },
    setPath: (name: string, value: string) => calls.push(`setPath ${name} ${value}`),
    requestSingleInstanceLock: () => {
      calls.push('requestSingleInstanceLock');
      return options.lock ?? true;
    },
    enableSandbox: () => calls.push('enableSandbox'),
    whenReady: () => ready,
    quit: () => {
      calls.push('quit');
      quitRequested();
    },
    exit: (code: number) => calls.push(`exit ${code}`),
  });

  class FakeBrowserWindow extends Events {
    readonly webContents = new FakeWebContents(windows.length + 1);
    constructor(readonly options: { webPreferences: Record<string, unknown> } & Record<string, unknown>) {
      super();
      windows.push(this);
      app.emit('web-contents-created', {}, this.webContents);
      windowCreated(this);
    }
    loadURL(url: string) {
      this.webContents.url = url;
      return Promise.resolve();
    }
    isDestroyed() {
      return false;
    }
    isMinimized() {
      return false;
    }
    focus() {}
    restore() {}
    show() {}
  }

  const electron = {
    app,
    BrowserWindow: FakeBrowserWindow,
    protocol: {
      registerSchemesAsPrivileged: (schemes: { scheme: string; privileges: Record<string, boolean> }[]) =>
        calls.push(`registerSchemesAsPrivileged ${JSON.stringify(schemes)}`),
    },
    session: {
      defaultSession: Object.assign(new Events(), {
        protocol: { handle: (scheme: string, handler: (request: Request) => Promise<Response>) => (calls.push(`handle ${scheme}`), (session.appProtocol = handler)) },
        setPermissionRequestHandler: (handler: (...args: unknown[]) => void) => (session.permissionRequest = handler),
        setPermissionCheckHandler: (handler: (...args: unknown[]) => boolean) => (session.permissionCheck = handler),
        setDevicePermissionHandler: () => calls.push('setDevicePermissionHandler'),
        webRequest: { onBeforeRequest: (handler: typeof session.beforeRequest) => (session.beforeRequest = handler) },
      }),
    },
    ipcMain: {
      handle: (channel: string, handler: (...args: unknown[]) => unknown) => handlers.set(channel, handler),
      removeHandler: (channel: string) => handlers.delete(channel),
    },
    safeStorage: {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => (options.keyring === false ? 'basic_text' : 'gnome_libsecret'),
      encryptString: (text: string) => Buffer.from(Buffer.from(text).map((byte) => byte ^ sealKey)),
      decryptString: (sealed: Buffer) => Buffer.from(sealed.map((byte) => byte ^ sealKey)).toString(),
    },
    dialog: { showErrorBox: (title: string, message: string) => errorBoxes.push({ title, message }) },
    nativeTheme: { shouldUseDarkColors: false },
    shell: { openExternal: (url: string) => (opened.push(url), Promise.resolve()) },
  };

  return { electron, calls, errorBoxes, opened, windows, handlers, session, app, ready: () => markReady(), firstWindow, quit };
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;

const projectRequire = createRequire(fileURLToPath(new URL('../../../package.json', import.meta.url)));

/**
 * Runs a CommonJS bundle as Electron would run the app's main, with `electron` resolved to the
 * fake, everything else from the project's node_modules, and its own `process` (argv, env,
 * stderr, signal handlers) so nothing leaks into the test's.
 */
export function runBundledMain(mainPath: string, fake: FakeElectron, argv: string[], env: Record<string, string>) {
  const stderr: string[] = [];
  const signals: string[] = [];
  const fakeProcess = Object.create(process, {
    argv: { value: ['/usr/bin/electron', mainPath, ...argv] },
    defaultApp: { value: true },
    env: { value: env },
    platform: { value: 'linux' },
    stderr: { value: { write: (line: string) => stderr.push(line) } },
    once: { value: (signal: string) => signals.push(signal) },
  });
  const module = { exports: {} };
  const require = (name: string) => (name === 'electron' ? fake.electron : projectRequire(name));
  const code = readFileSync(mainPath, 'utf8');
  new Function('require', 'module', 'exports', '__dirname', '__filename', 'process', code)(
    require,
    module,
    module.exports,
    dirname(mainPath),
    mainPath,
    fakeProcess,
  );
  return { stderr, signals };
}
