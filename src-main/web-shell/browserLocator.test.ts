import { describe, expect, it } from 'vitest';
import { ensureBrowser, locateBrowser, missingBrowserLine, type BrowserHost } from './browserLocator';

const PLAYWRIGHT = '/root/.cache/ms-playwright/chromium-1/chrome-linux64/chrome';

/** A made-up machine: which files are executables, who runs, and what apt-get does when asked. */
function fakeHost(options: {
  executables?: string[];
  environment?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  uid?: number | undefined;
  playwright?: string | undefined;
  /** Files apt-get install creates; its exit status. */
  apt?: { creates: string[]; status?: number };
}) {
  const executables = new Set(options.executables ?? []);
  const runs: { command: string; args: string[]; environment: NodeJS.ProcessEnv }[] = [];
  const said: string[] = [];
  const host: BrowserHost = {
    environment: options.environment ?? { PATH: '/usr/local/bin:/usr/bin:/bin' },
    platform: options.platform ?? 'linux',
    uid: 'uid' in options ? options.uid : 1000,
    isExecutable: (path) => executables.has(path),
    playwrightChromium: () => ('playwright' in options ? options.playwright : PLAYWRIGHT),
    run: (command, args, environment) => {
      runs.push({ command, args, environment });
      if (args[0] === 'install') for (const file of options.apt?.creates ?? []) executables.add(file);
      return options.apt?.status ?? 0;
    },
    say: (line) => said.push(line),
  };
  return { host, runs, said };
}

describe('locateBrowser', () => {
  it('takes PARLEY_CHROMIUM first, over Playwright and the system', () => {
    const { host } = fakeHost({
      executables: ['/opt/my/chrome', PLAYWRIGHT, '/usr/bin/chromium'],
      environment: { PATH: '/usr/bin', PARLEY_CHROMIUM: '/opt/my/chrome' },
    });
    expect(locateBrowser(host)).toEqual({ found: true, executable: '/opt/my/chrome', source: 'PARLEY_CHROMIUM' });
  });

  it('reports a PARLEY_CHROMIUM that names nothing instead of looking elsewhere', () => {
    const { host } = fakeHost({ executables: ['/usr/bin/chromium'], environment: { PATH: '/usr/bin', PARLEY_CHROMIUM: '/nonexistent/chromium' } });
    const lookup = locateBrowser(host);
    expect(lookup).toMatchObject({ found: false, reason: expect.stringContaining('/nonexistent/chromium, which does not exist') });
  });

  it("takes Playwright's Chromium where it is installed, before the system's", () => {
    const { host } = fakeHost({ executables: [PLAYWRIGHT, '/usr/bin/chromium'] });
    expect(locateBrowser(host)).toEqual({ found: true, executable: PLAYWRIGHT, source: 'playwright' });
  });

  it("passes over Playwright's path when nothing is there, or without playwright-core", () => {
    expect(locateBrowser(fakeHost({ executables: ['/usr/bin/chromium'] }).host)).toMatchObject({ executable: '/usr/bin/chromium', source: 'system' });
    const withoutPlaywright = fakeHost({ executables: ['/usr/bin/chromium'], playwright: undefined });
    expect(locateBrowser(withoutPlaywright.host)).toMatchObject({ executable: '/usr/bin/chromium', source: 'system' });
  });

  it("prefers Debian's chromium, then chromium-browser, then Chrome, on PATH", () => {
    const everything = ['/usr/bin/google-chrome', '/usr/local/bin/chromium-browser', '/usr/bin/chromium'];
    expect(locateBrowser(fakeHost({ executables: everything }).host)).toMatchObject({ executable: '/usr/bin/chromium' });
    expect(locateBrowser(fakeHost({ executables: everything.slice(0, 2) }).host)).toMatchObject({ executable: '/usr/local/bin/chromium-browser' });
    expect(locateBrowser(fakeHost({ executables: everything.slice(0, 1) }).host)).toMatchObject({ executable: '/usr/bin/google-chrome' });
  });

  it('finds /usr/bin/chromium and snap even when PATH does not list them', () => {
    expect(locateBrowser(fakeHost({ executables: ['/usr/bin/chromium'], environment: {} }).host)).toMatchObject({ executable: '/usr/bin/chromium' });
    expect(locateBrowser(fakeHost({ executables: ['/snap/bin/chromium'], environment: {} }).host)).toMatchObject({ executable: '/snap/bin/chromium' });
  });

  it("finds the app bundle on macOS and Chrome's folder on Windows", () => {
    const mac = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
    expect(locateBrowser(fakeHost({ platform: 'darwin', executables: [mac] }).host)).toMatchObject({ executable: mac });
    const windows = 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe';
    const host = fakeHost({ platform: 'win32', uid: undefined, executables: [windows], environment: { PROGRAMFILES: 'C:\\Program Files', Path: 'C:\\Windows' } }).host;
    expect(locateBrowser(host)).toMatchObject({ executable: windows });
  });
});

describe('ensureBrowser', () => {
  it('installs nothing when a browser is there, and passes it on in PARLEY_CHROMIUM', () => {
    const { host, runs, said } = fakeHost({ uid: 0, executables: ['/usr/bin/apt-get', '/usr/bin/chromium'] });
    expect(ensureBrowser(host)).toMatchObject({ found: true, executable: '/usr/bin/chromium', source: 'system' });
    expect(host.environment.PARLEY_CHROMIUM).toBe('/usr/bin/chromium');
    expect(runs).toEqual([]);
    expect(said).toEqual([]);
  });

  it("installs Debian's chromium as root where apt-get is, says so, and only once", () => {
    const { host, runs, said } = fakeHost({ uid: 0, executables: ['/usr/bin/apt-get'], apt: { creates: ['/usr/bin/chromium'] } });
    expect(ensureBrowser(host)).toEqual({ found: true, executable: '/usr/bin/chromium', source: 'apt' });
    expect(runs.map((run) => [run.command, ...run.args].join(' '))).toEqual(['apt-get update -qq', 'apt-get install -y -qq chromium']);
    expect(runs[1]?.environment.DEBIAN_FRONTEND).toBe('noninteractive');
    expect(said[0]).toMatch(/installing Debian's chromium with apt-get/);
    expect(host.environment.PARLEY_CHROMIUM).toBe('/usr/bin/chromium');

    // The next process in the tree (or a second call) takes PARLEY_CHROMIUM and runs nothing.
    expect(ensureBrowser(host)).toMatchObject({ found: true, executable: '/usr/bin/chromium', source: 'PARLEY_CHROMIUM' });
    expect(runs).toHaveLength(2);
  });

  it('installs nothing when not root, and names the command in one line', () => {
    const { host, runs } = fakeHost({ uid: 1000, executables: ['/usr/bin/apt-get'] });
    const lookup = ensureBrowser(host);
    expect(runs).toEqual([]);
    expect(lookup.found).toBe(false);
    if (lookup.found) return;
    const line = missingBrowserLine(lookup);
    expect(line).toContain('`sudo apt-get install chromium`');
    expect(line).not.toContain('\n');
    expect(host.environment.PARLEY_CHROMIUM).toBeUndefined();
  });

  it('installs nothing as root without apt-get, and names the package manager there is', () => {
    const { host, runs } = fakeHost({ uid: 0, executables: ['/usr/bin/dnf'] });
    const lookup = ensureBrowser(host);
    expect(runs).toEqual([]);
    expect(lookup).toMatchObject({ found: false, remedy: expect.stringContaining('`dnf install chromium`') });
  });

  it('installs nothing where PARLEY_BROWSER_INSTALL=never, even as root', () => {
    const { host, runs } = fakeHost({ uid: 0, executables: ['/usr/bin/apt-get'], environment: { PATH: '/usr/bin', PARLEY_BROWSER_INSTALL: 'never' } });
    const lookup = ensureBrowser(host);
    expect(runs).toEqual([]);
    expect(lookup).toMatchObject({ found: false, reason: expect.stringContaining('PARLEY_BROWSER_INSTALL=never'), remedy: expect.stringContaining('`apt-get install chromium`') });
  });

  it('installs nothing for a PARLEY_CHROMIUM that names nothing', () => {
    const { host, runs } = fakeHost({ uid: 0, executables: ['/usr/bin/apt-get'], environment: { PATH: '/usr/bin', PARLEY_CHROMIUM: '/nowhere' } });
    expect(ensureBrowser(host)).toMatchObject({ found: false, reason: expect.stringContaining('PARLEY_CHROMIUM names /nowhere') });
    expect(runs).toEqual([]);
  });

  it('reports a failed apt-get with its exit status', () => {
    const { host } = fakeHost({ uid: 0, executables: ['/usr/bin/apt-get'], apt: { creates: [], status: 100 } });
    expect(ensureBrowser(host)).toMatchObject({ found: false, reason: 'apt-get update failed (exit 100)' });
  });

  it('suggests Homebrew on macOS and Playwright elsewhere, installing nothing', () => {
    const mac = fakeHost({ platform: 'darwin', uid: 0 });
    expect(ensureBrowser(mac.host)).toMatchObject({ found: false, remedy: expect.stringContaining('`brew install --cask chromium`') });
    const windows = fakeHost({ platform: 'win32', uid: undefined, environment: {} });
    expect(ensureBrowser(windows.host)).toMatchObject({ found: false, remedy: expect.stringContaining('`npx playwright install chromium`') });
    expect([...mac.runs, ...windows.runs]).toEqual([]);
  });
});
