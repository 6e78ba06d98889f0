import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { checkServerTransport, INSECURE_FLAG, InsecureTransportError } from '../core/api/serverTransport';

export const ELECTRON_USAGE = `usage: parley [--profile NAME|DIR] [--server URL] [--insecure]

  --profile NAME   the profile to open (default: default), kept in the app-data folder:
                   <app data>/Parley/profiles/NAME; each profile runs as its own instance
  --profile DIR    a profile folder given as a path (anything with a / or \\), as npm start does
  --server URL     the Parley server for a new account, http(s)://host:port
                   (default: the PARLEY_SERVER_URL environment variable)
  --insecure       allow http:// to a server on another machine (default: only https://, or
                   http:// to this machine); anyone on the network can then read and change
                   the traffic

Logs go to stderr (PARLEY_LOG_LEVEL: debug, info, warn, error, silent; default info).`;

/** A mistake in how the app was started: shown to the person, who can fix it. */
export class ElectronUsageError extends Error {
  override name = 'ElectronUsageError';
}

export type ElectronArguments = {
  /** The profile folder: the vault, its key file, and Chromium's data under `electron/`. */
  profileDir: string;
  /** Where a new account is registered (a registered profile keeps its own). */
  serverUrl: string;
  /** --insecure: http:// and ws:// to a server on another machine are allowed. */
  insecure: boolean;
  /** Arguments that are not ours, e.g. Chromium switches; logged, not fatal. */
  ignored: string[];
};

/** A profile name is one folder name: no separators, no leading dot (as in `npm start -- --profile`). */
const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const serverSchema = z.url({ protocol: /^https?$/ });
const OPTIONS = ['--profile', '--server'] as const;
type Option = (typeof OPTIONS)[number];

/** Where Chromium keeps the profile's browser data (IndexedDB holds the history store), like the web shell's `browser/`. */
export const CHROMIUM_DATA_FOLDER = 'electron';

/** The folder of a profile named NAME under the OS app-data folder (`app.getPath('appData')`). */
export const namedProfileDir = (appDataDir: string, name: string) => join(appDataDir, 'Parley', 'profiles', name);

/**
 * Reads `--profile` and `--server` (as `--x value` or `--x=value`) and the `--insecure` switch
 * from the app's own arguments; an http:// server on another machine without `--insecure` is a
 * usage error.
 * Anything else is returned in `ignored`: Chromium and the OS add switches of their own (for
 * example `--no-sandbox`, or macOS's `-psn_…`), so an unknown argument cannot be an error here.
 */
export function parseElectronArguments(
  argv: readonly string[],
  environment: Readonly<Record<string, string | undefined>>,
  places: { appDataDir: string; workingDir: string },
): ElectronArguments {
  const values: Partial<Record<Option, string>> = {};
  const ignored: string[] = [];
  let insecure = false;
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    if (argument === INSECURE_FLAG) {
      insecure = true;
      continue;
    }
    const equals = argument.indexOf('=');
    const name = (equals === -1 ? argument : argument.slice(0, equals)) as Option;
    if (!OPTIONS.includes(name)) {
      ignored.push(argument);
      continue;
    }
    let value: string | undefined;
    if (equals !== -1) value = argument.slice(equals + 1);
    else {
      value = argv[index + 1];
      if (value === undefined || value.startsWith('--')) throw new ElectronUsageError(`${name} needs a value`);
      index += 1;
    }
    if (values[name] !== undefined) throw new ElectronUsageError(`${name} is given twice`);
    if (value === '') throw new ElectronUsageError(`${name} needs a value`);
    values[name] = value;
  }
  const profileDir = resolveProfileDir(values['--profile'] ?? 'default', places);
  const server = values['--server'] ?? environment.PARLEY_SERVER_URL;
  if (server === undefined || server === '') {
    throw new ElectronUsageError('no server: pass --server URL or set PARLEY_SERVER_URL (npm start does this for you)');
  }
  const parsed = serverSchema.safeParse(server);
  if (!parsed.success) {
    const source = values['--server'] === undefined ? 'PARLEY_SERVER_URL' : '--server';
    throw new ElectronUsageError(`${source} must be an http(s) URL, got "${server}"`);
  }
  try {
    checkServerTransport(parsed.data, { allowInsecureTransport: insecure });
  } catch (error) {
    if (!(error instanceof InsecureTransportError)) throw error;
    throw new ElectronUsageError(`${values['--server'] === undefined ? 'PARLEY_SERVER_URL' : '--server'}: ${error.message}`);
  }
  return { profileDir, serverUrl: parsed.data, insecure, ignored };
}

/** A value with a path separator (or an absolute path) is a folder; anything else must be a profile name. */
function resolveProfileDir(value: string, places: { appDataDir: string; workingDir: string }): string {
  if (isAbsolute(value) || value.includes('/') || value.includes('\\')) return resolve(places.workingDir, value);
  if (!PROFILE_NAME.test(value)) {
    throw new ElectronUsageError(
      `--profile takes a name (letters, digits, - and _, up to 64, starting with a letter or digit) or a folder path, got "${value}"`,
    );
  }
  return namedProfileDir(places.appDataDir, value);
}
