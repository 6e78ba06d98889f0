import { spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { posix, win32 } from 'node:path';

/**
 * Finds the Chromium that the web shell's window and the e2e suites run, in this order:
 * PARLEY_CHROMIUM; Playwright's own Chromium where one is installed; the system's Chromium or
 * Chrome. `ensureBrowser` then installs Debian's `chromium` with apt, but only as root where
 * apt-get exists (and PARLEY_BROWSER_INSTALL is not `never`), and says so on stderr. Nothing here
 * downloads a browser of its own.
 */

/** Where a browser was found; `apt` means ensureBrowser just installed it. */
export type BrowserSource = 'PARLEY_CHROMIUM' | 'playwright' | 'system' | 'apt';

export type BrowserFound = { found: true; executable: string; source: BrowserSource };

/** No browser: why, and the one thing to do about it (a command, worded to be shown as is). */
export type BrowserMissing = { found: false; reason: string; remedy: string };

export type BrowserLookup = BrowserFound | BrowserMissing;

/** Everything the locator touches, so tests decide what exists and nothing is really installed. */
export type BrowserHost = {
  environment: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** The user id, undefined where there is none (Windows). */
  uid: number | undefined;
  isExecutable(path: string): boolean;
  /** Where playwright-core keeps its Chromium (whether or not it is there); undefined without playwright-core. */
  playwrightChromium(): string | undefined;
  /** Runs a command to its end (its errors on stderr, its progress dropped); returns its exit status. */
  run(command: string, args: string[], environment: NodeJS.ProcessEnv): number | null;
  /** A line for stderr. */
  say(line: string): void;
};

/** Set to `never` to refuse the apt install even as root (the missing browser is then reported). */
export const INSTALL_SWITCH = 'PARLEY_BROWSER_INSTALL';

/** Names of a system Chromium or Chrome on PATH, most preferred first (Debian's package first). */
const SYSTEM_NAMES: Partial<Record<NodeJS.Platform, string[]>> = {
  linux: ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'],
  freebsd: ['chromium', 'chrome'],
  openbsd: ['chromium', 'chrome'],
  win32: ['chrome.exe', 'chromium.exe'],
};

/** Where a system browser lives when PATH does not say (a bare `env`, an app bundle, snap). */
function systemLocations(host: BrowserHost): string[] {
  const environment = host.environment;
  switch (host.platform) {
    case 'linux':
      return ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/snap/bin/chromium'];
    case 'darwin':
      return ['/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'];
    case 'win32':
      return [environment.PROGRAMFILES, environment['PROGRAMFILES(X86)'], environment.LOCALAPPDATA]
        .filter((folder): folder is string => Boolean(folder))
        .flatMap((folder) => [win32.join(folder, 'Google', 'Chrome', 'Application', 'chrome.exe'), win32.join(folder, 'Chromium', 'Application', 'chrome.exe')]);
    default:
      return [];
  }
}

/** The first executable `name` on the host's PATH. */
function onPath(host: BrowserHost, name: string): string | undefined {
  const path = host.platform === 'win32' ? win32 : posix;
  const folders = (host.environment.PATH ?? host.environment.Path ?? '').split(path.delimiter).filter(Boolean);
  return folders.map((folder) => path.join(folder, name)).find((candidate) => host.isExecutable(candidate));
}

function systemBrowser(host: BrowserHost): string | undefined {
  for (const name of SYSTEM_NAMES[host.platform] ?? []) {
    const found = onPath(host, name);
    if (found) return found;
  }
  return systemLocations(host).find((candidate) => host.isExecutable(candidate));
}

/** The command that would install a browser here, for the person to run. */
function installCommand(host: BrowserHost): string {
  const root = host.uid === 0;
  const sudo = root ? '' : 'sudo ';
  if (host.platform === 'linux') {
    if (onPath(host, 'apt-get')) return `${sudo}apt-get install chromium`;
    if (onPath(host, 'dnf')) return `${sudo}dnf install chromium`;
    if (onPath(host, 'pacman')) return `${sudo}pacman -S chromium`;
  }
  if (host.platform === 'darwin') return 'brew install --cask chromium';
  // Elsewhere Playwright's own Chromium is the one that installs the same way everywhere.
  return 'npx playwright install chromium';
}

const missing = (reason: string, command: string): BrowserMissing => ({
  found: false,
  reason,
  remedy: `run \`${command}\`, or set PARLEY_CHROMIUM to a Chromium or Chrome binary`,
});

/** Finds a browser without installing anything (cheap: a few stat calls, and no process started). */
export function locateBrowser(host: BrowserHost): BrowserLookup {
  const named = host.environment.PARLEY_CHROMIUM;
  if (named) {
    if (host.isExecutable(named)) return { found: true, executable: named, source: 'PARLEY_CHROMIUM' };
    return {
      found: false,
      reason: `PARLEY_CHROMIUM names ${named}, which does not exist or is not executable`,
      remedy: 'set PARLEY_CHROMIUM to a Chromium or Chrome binary, or unset it to use the one found here',
    };
  }
  const playwright = host.playwrightChromium();
  if (playwright && host.isExecutable(playwright)) return { found: true, executable: playwright, source: 'playwright' };
  const system = systemBrowser(host);
  if (system) return { found: true, executable: system, source: 'system' };
  return missing("no Chromium found (none in PARLEY_CHROMIUM, in Playwright's browsers or on this system)", installCommand(host));
}

/**
 * locateBrowser, and where it finds nothing, installs Debian's `chromium` when that is allowed:
 * running as root, apt-get on PATH, PARLEY_BROWSER_INSTALL not `never`. The browser found is
 * written to `host.environment.PARLEY_CHROMIUM`, so the processes this one starts with that
 * environment (Playwright's workers, the web shell) take it as it is and never install again.
 * Idempotent: a second call finds what the first found or installed.
 */
export function ensureBrowser(host: BrowserHost): BrowserLookup {
  const located = locateBrowser(host);
  // A PARLEY_CHROMIUM that names nothing is a mistake to report, not a reason to install another.
  const lookup = located.found || host.environment.PARLEY_CHROMIUM ? located : install(host, located);
  if (lookup.found) host.environment.PARLEY_CHROMIUM = lookup.executable;
  return lookup;
}

function install(host: BrowserHost, notFound: BrowserMissing): BrowserLookup {
  if (host.platform !== 'linux' || host.uid !== 0 || !onPath(host, 'apt-get')) return notFound;
  if (host.environment[INSTALL_SWITCH] === 'never') {
    return missing(`no Chromium found, and ${INSTALL_SWITCH}=never forbids installing one`, installCommand(host));
  }
  host.say(`parley: no Chromium found; installing Debian's chromium with apt-get, as root, once (a minute or two; ${INSTALL_SWITCH}=never turns this off)`);
  const environment = { ...host.environment, DEBIAN_FRONTEND: 'noninteractive' };
  // A fresh machine has no package lists yet; the same apt-get update an admin would run first.
  const updated = host.run('apt-get', ['update', '-qq'], environment);
  if (updated !== 0) return missing(`apt-get update failed (exit ${updated})`, 'apt-get update && apt-get install chromium');
  const installed = host.run('apt-get', ['install', '-y', '-qq', 'chromium'], environment);
  if (installed !== 0) return missing(`apt-get install chromium failed (exit ${installed})`, 'apt-get install chromium');
  const system = systemBrowser(host);
  if (!system) return missing('apt-get installed chromium, but no chromium binary is on PATH or in /usr/bin', 'apt-get install --reinstall chromium');
  host.say(`parley: installed ${system}`);
  return { found: true, executable: system, source: 'apt' };
}

/** The one line to print when there is no browser. */
export function missingBrowserLine(lookup: BrowserMissing): string {
  return `${lookup.reason}: ${lookup.remedy}`;
}

/** How a found browser is described in a status line. */
export const BROWSER_SOURCE_LABEL: Record<BrowserSource, string> = {
  PARLEY_CHROMIUM: 'from PARLEY_CHROMIUM',
  playwright: "Playwright's",
  system: "the system's",
  apt: 'installed just now with apt',
};

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function playwrightChromium(): string | undefined {
  try {
    // Loaded only when asked: playwright-core is a development dependency (of @playwright/test).
    const { chromium } = createRequire(import.meta.url)('playwright-core') as { chromium: { executablePath(): string } };
    return chromium.executablePath();
  } catch {
    return undefined; // not installed, or a platform Playwright has no Chromium for
  }
}

/** The real machine: its files, its processes, its stderr; `environment` is read and written. */
export function nodeBrowserHost(environment: NodeJS.ProcessEnv = process.env): BrowserHost {
  return {
    environment,
    platform: process.platform,
    uid: process.getuid?.(),
    isExecutable: isExecutableFile,
    playwrightChromium,
    // dpkg's hundreds of progress lines go to stdout; apt's errors, on stderr, are kept.
    run: (command, args, env) => spawnSync(command, args, { env, stdio: ['ignore', 'ignore', 2] }).status,
    say: (line) => process.stderr.write(`${line}\n`),
  };
}
