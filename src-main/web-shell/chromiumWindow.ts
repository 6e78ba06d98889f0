import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';

/** The Chromium this project runs (Debian's package); PARLEY_CHROMIUM names another. */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

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

export type WindowOutcome = { opened: true; window: ChromiumWindow } | { opened: false; reason: string };

/**
 * Opens `url` as a Chromium app window (no tabs, no address bar) with its own browser profile in
 * `userDataDir`, so the profile's cookies and IndexedDB live with the Parley profile.
 */
export function openChromiumWindow(options: {
  url: string;
  userDataDir: string;
  environment: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}): WindowOutcome {
  const { environment } = options;
  const platform = options.platform ?? process.platform;
  if (platform === 'linux' && !environment.DISPLAY && !environment.WAYLAND_DISPLAY) {
    return { opened: false, reason: 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)' };
  }
  const executable = environment.PARLEY_CHROMIUM || DEFAULT_CHROMIUM;
  if (!existsSync(executable)) {
    return { opened: false, reason: `${executable} does not exist (install chromium, or set PARLEY_CHROMIUM to a Chromium binary)` };
  }
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
