import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';

export const WEB_SHELL_USAGE = `usage: npm run web -- --profile DIR --server URL [--port N] [--no-open] [--renderer DIR] [--insecure]

  --profile DIR    the profile folder (created on first use)
  --server URL     the Parley server, http(s)://host:port
  --port N         serve on 127.0.0.1:N and remember it for this profile
                   (default: the port remembered for the profile, else a free one)
  --no-open        do not open a Chromium window; open the printed URL yourself
  --renderer DIR   the built renderer (default dist/renderer, from npm run build:renderer)
  --insecure       allow http:// to a server on another machine (default: only https://, or
                   http:// to this machine: 127.0.0.0/8, ::1, localhost)

Prints one line, PARLEY_URL=http://127.0.0.1:N/?token=…, when ready; the link works once.
Logs go to stderr (PARLEY_LOG_LEVEL: debug, info, warn, error, silent; default info).
PARLEY_CHROMIUM names the browser for the window (default: found as npm start finds it: Playwright's Chromium, then the system's).`;

/** A mistake in how the web shell was called: exit code 2, with the usage. */
export class WebShellUsageError extends Error {
  override name = 'WebShellUsageError';
}

export type WebShellArguments =
  | { help: true }
  | {
      help: false;
      profileDir: string;
      serverUrl: string;
      port: number | undefined;
      open: boolean;
      rendererDir: string | undefined;
      /** --insecure: http:// and ws:// to a server on another machine are allowed. */
      insecure: boolean;
    };

const portSchema = z.coerce.number().int().min(1).max(65_535);
const serverSchema = z.url({ protocol: /^https?$/ });

export function parseWebShellArguments(argv: string[]): WebShellArguments {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        profile: { type: 'string' },
        server: { type: 'string' },
        port: { type: 'string' },
        'no-open': { type: 'boolean', default: false },
        renderer: { type: 'string' },
        insecure: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new WebShellUsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return { help: true };
  if (!values.profile) throw new WebShellUsageError('--profile DIR is required');
  if (!values.server) throw new WebShellUsageError('--server URL is required');
  const server = serverSchema.safeParse(values.server);
  if (!server.success) throw new WebShellUsageError(`--server must be an http(s) URL, got "${values.server}"`);
  let port: number | undefined;
  if (values.port !== undefined) {
    const parsed = portSchema.safeParse(values.port);
    if (!parsed.success) throw new WebShellUsageError(`--port takes a port number from 1 to 65535, got "${values.port}"`);
    port = parsed.data;
  }
  return {
    help: false,
    profileDir: resolve(values.profile),
    serverUrl: server.data,
    port,
    open: !values['no-open'],
    rendererDir: values.renderer === undefined ? undefined : resolve(values.renderer),
    insecure: values.insecure,
  };
}
