import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isLogLevel, streamLogger } from '../core/util/streamLogger';
import { ensureBrowser, missingBrowserLine, nodeBrowserHost } from '../web-shell/browserLocator';
import { hasDisplay } from '../web-shell/chromiumWindow';
import { startWebShell } from '../web-shell/startWebShell';
import { untilSignal } from '../web-shell/untilSignal';
import { ELECTRON_BUILD, hasNpmScript, RENDERER_BUILD, runNpmScript, staleReason } from './buildFreshness';
import { findElectron, runElectron } from './electronApp';
import { ensureLocalServer, LOCAL_SERVER_PORT, type LocalServer } from './localServer';
import { parseStartArguments, START_USAGE, StartUsageError } from './startArguments';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The server built with this launcher (dist/node, by tools/runBuilt.mjs), or its source when the launcher runs from source. */
const SERVER_ENTRY = import.meta.url.endsWith('.mjs') ? 'dist/node/server.mjs' : 'src-server/server.ts';

const say = (line: string) => process.stdout.write(`${line}\n`);

const SERVER_SOURCE: Record<LocalServer['source'], string> = {
  environment: 'from PARLEY_SERVER_URL',
  shared: 'already running here, shared',
  started: 'started here, data in .data/server; it stops when this app quits',
};

/** Electron's binary and its built shell, or why the web shell is used instead. */
async function electronOrReason(environment: NodeJS.ProcessEnv): Promise<{ binary: string; entry: string } | { reason: string }> {
  const electron = findElectron();
  if (!electron.available) return { reason: electron.reason };
  if (staleReason(ROOT, ELECTRON_BUILD)) {
    if (!hasNpmScript(ROOT, ELECTRON_BUILD.script)) return { reason: `Electron is installed, but there is no ${ELECTRON_BUILD.script} script` };
    say('Building the Electron shell…');
    await runNpmScript(ROOT, ELECTRON_BUILD.script, environment);
  }
  return { binary: electron.binary, entry: join(ROOT, ELECTRON_BUILD.output) };
}

/**
 * `npm start -- [--profile NAME]`: the renderer built if stale, the local server (or
 * PARLEY_SERVER_URL's), then the app on `.profiles/NAME`: Electron where its binary is installed,
 * otherwise the web shell in a Chromium window. Prints which, and the URLs; Ctrl-C quits both.
 */
async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseStartArguments(argv);
  } catch (error) {
    if (!(error instanceof StartUsageError)) throw error;
    process.stderr.write(`parley: ${error.message}\n\n${START_USAGE}\n`);
    return 2;
  }
  if (parsed.help) {
    say(START_USAGE);
    return 0;
  }
  const environment = process.env;
  const level = environment.PARLEY_LOG_LEVEL ?? 'warn';
  if (!isLogLevel(level)) {
    process.stderr.write(`parley: PARLEY_LOG_LEVEL must be debug, info, warn, error or silent, not "${level}"\n`);
    return 2;
  }
  // The web shell's window needs a browser: found, or installed, before anything is built or
  // started, so a machine without one stops at once with the command that gives it one.
  if (parsed.open && !findElectron().available && hasDisplay(environment)) {
    const browser = ensureBrowser(nodeBrowserHost(environment));
    if (!browser.found) {
      process.stderr.write(`parley: ${missingBrowserLine(browser)} (or pass --no-open and open the printed URL in any browser)\n`);
      return 1;
    }
  }
  const signalled = untilSignal();
  const profileDir = join(ROOT, '.profiles', parsed.profile);

  const stale = staleReason(ROOT, RENDERER_BUILD);
  if (stale) {
    say(`Building the renderer (${stale})…`);
    await runNpmScript(ROOT, RENDERER_BUILD.script, environment);
  }
  // The server starts beside the app: the app's core connects only after sign-in, and the
  // window should not wait for a server process to come up first.
  const serverStarting = ensureLocalServer({ root: ROOT, environment, allowInsecureTransport: parsed.insecure, serverEntry: SERVER_ENTRY });
  serverStarting.catch(() => undefined); // awaited below, or stopped in `finally`
  const serverReady = async () => {
    const server = await serverStarting;
    say(`Parley server: ${server.url} (${SERVER_SOURCE[server.source]})`);
    return server;
  };
  try {
    const electron = await electronOrReason(environment);
    if ('binary' in electron) {
      const server = await serverReady();
      say(`Parley app: Electron, profile "${parsed.profile}" (${profileDir})`);
      const app = runElectron({
        ...electron,
        root: ROOT,
        profileDir,
        serverUrl: server.url,
        allowInsecureTransport: parsed.insecure,
        environment,
      });
      await Promise.race([app.exited, signalled]);
      await app.close();
      return 0;
    }
    const serverUrl = environment.PARLEY_SERVER_URL ?? `http://127.0.0.1:${LOCAL_SERVER_PORT}`;
    const [server, started] = await Promise.allSettled([
      serverReady(),
      startWebShell({
        profileDir,
        serverUrl,
        open: parsed.open,
        allowInsecureTransport: parsed.insecure,
        environment,
        clock: { now: () => Date.now() },
        logger: streamLogger(level, (line) => process.stderr.write(line)),
      }),
    ]);
    if (server.status === 'rejected' || started.status === 'rejected') {
      if (started.status === 'fulfilled') await started.value.close();
      throw server.status === 'rejected' ? server.reason : (started as PromiseRejectedResult).reason;
    }
    const shell = started.value;
    if (server.value.url !== serverUrl) {
      await shell.close();
      throw new Error(`the server answered at ${server.value.url}, not ${serverUrl}`);
    }
    say(`Parley app: the web shell in a Chromium window (${electron.reason}), profile "${parsed.profile}" (${profileDir})`);
    say(`PARLEY_URL=${shell.launchUrl}`);
    if (shell.window?.opened) say('Close the window or press Ctrl-C to quit.');
    else {
      const why = shell.window ? `No window opened: ${shell.window.reason}. ` : '';
      say(`${why}Open the PARLEY_URL above in a browser (the link works once); Ctrl-C quits.`);
    }
    await Promise.race([shell.closed, signalled]);
    await shell.close();
    return 0;
  } finally {
    await (await serverStarting.catch(() => undefined))?.stop();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`parley: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
