import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { locateBrowser, missingBrowserLine, nodeBrowserHost } from './browserLocator';

/** Flags for a quiet app window: nothing phones home, nothing syncs, no first-run dialogs. */
export const CHROMIUM_WINDOW_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export type ChromiumWindow = {
  /** Resolves when the browser process has exited (the user closed the window, or it failed). */
  readonly exited: Promise<number | null>;
  close(): Promise<void>;
};

/** Whether a window can be shown at all: on Linux a display server must be named. */
export function hasDisplay(environment: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): boolean {
  return platform !== 'linux' || Boolean(environment.DISPLAY || environment.WAYLAND_DISPLAY);
}

export type WindowOutcome = { opened: true; window: ChromiumWindow } | { opened: false; reason: string };

/**
 * Opens `url` as a Chromium app window (no tabs, no address bar) with its own browser profile in
 * `userDataDir`, so the profile's cookies and IndexedDB live with the Parley profile. The browser
 * is found by browserLocator (PARLEY_CHROMIUM, Playwright's, the system's); installing one is
 * the composition root's decision (npm start does it before it gets here), never this function's.
 */
export function openChromiumWindow(options: {
  url: string;
  userDataDir: string;
  environment: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}): WindowOutcome {
  const { environment } = options;
  const platform = options.platform ?? process.platform;
  if (!hasDisplay(environment, platform)) {
    return { opened: false, reason: 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)' };
  }
  const browser = locateBrowser({ ...nodeBrowserHost(environment), platform });
  if (!browser.found) return { opened: false, reason: missingBrowserLine(browser) };
  const executable = browser.executable;
  mkdirSync(options.userDataDir, { recursive: true, mode: 0o700 });
  const child: ChildProcess = spawn(executable, [`--app=${options.url}`, `--user-data-dir=${options.userDataDir}`, ...CHROMIUM_WINDOW_FLAGS], {
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
  return {
    opened: true,
    window: {
      exited,
      close: async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await exited;
      },
    },
  };
}
