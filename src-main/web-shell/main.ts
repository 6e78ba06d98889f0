import { isLogLevel, streamLogger } from '../core/util/streamLogger';
import { startWebShell } from './startWebShell';
import { untilSignal } from './untilSignal';
import { parseWebShellArguments, WEB_SHELL_USAGE, WebShellUsageError } from './webShellArguments';

/**
 * `npm run web -- --profile DIR --server URL [--port N] [--no-open] [--insecure]`: the web shell. stdout
 * carries exactly one line, `PARLEY_URL=…`, once it is ready; everything else goes to stderr.
 * SIGINT or SIGTERM closes it cleanly (a second one exits at once).
 */
async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseWebShellArguments(argv);
  } catch (error) {
    if (!(error instanceof WebShellUsageError)) throw error;
    process.stderr.write(`parley web shell: ${error.message}\n\n${WEB_SHELL_USAGE}\n`);
    return 2;
  }
  if (parsed.help) {
    process.stderr.write(`${WEB_SHELL_USAGE}\n`);
    return 0;
  }
  const level = process.env.PARLEY_LOG_LEVEL ?? 'info';
  if (!isLogLevel(level)) {
    process.stderr.write(`parley web shell: PARLEY_LOG_LEVEL must be debug, info, warn, error or silent, not "${level}"\n`);
    return 2;
  }
  const shell = await startWebShell({
    profileDir: parsed.profileDir,
    serverUrl: parsed.serverUrl,
    port: parsed.port,
    open: parsed.open,
    rendererDir: parsed.rendererDir,
    allowInsecureTransport: parsed.insecure,
    environment: process.env,
    clock: { now: () => Date.now() },
    logger: streamLogger(level, (line) => process.stderr.write(line)),
  });
  process.stdout.write(`PARLEY_URL=${shell.launchUrl}\n`);
  if (shell.window && !shell.window.opened) {
    process.stderr.write(`parley web shell: no window opened: ${shell.window.reason}. Open the PARLEY_URL above in a browser.\n`);
  }
  await Promise.race([untilSignal(), shell.closed]);
  await shell.close();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`parley web shell: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
