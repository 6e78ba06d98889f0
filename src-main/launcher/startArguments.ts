import { parseArgs } from 'node:util';

export const START_USAGE = `usage: npm start -- [--profile NAME] [--no-open] [--insecure]

  --profile NAME   the profile to open, kept in .profiles/NAME (default: default);
                   a second person on this machine: npm start -- --profile bob
  --no-open        the web shell opens no window; open the printed PARLEY_URL yourself
  --insecure       let PARLEY_SERVER_URL be http:// to another machine (default: only https://,
                   or http:// to this machine: 127.0.0.0/8, ::1, localhost)

Starts a local Parley server on http://127.0.0.1:7180 (data in .data/server), or shares the one
already running there, unless PARLEY_SERVER_URL names another; then the app: Electron where its
binary is installed, otherwise the web shell in a Chromium window.`;

export class StartUsageError extends Error {
  override name = 'StartUsageError';
}

/** `insecure`: --insecure, passed on to the app (http:// and ws:// to another machine allowed). */
export type StartArguments = { help: true } | { help: false; profile: string; open: boolean; insecure: boolean };

/** A profile name is one folder name: no separators, no leading dot. */
const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function parseStartArguments(argv: string[]): StartArguments {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        profile: { type: 'string', default: 'default' },
        'no-open': { type: 'boolean', default: false },
        insecure: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new StartUsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return { help: true };
  if (!PROFILE_NAME.test(values.profile)) {
    throw new StartUsageError(
      `--profile takes a name (letters, digits, - and _, up to 64, starting with a letter or digit), got "${values.profile}"; ` +
        'for a profile folder elsewhere use npm run web -- --profile DIR',
    );
  }
  return { help: false, profile: values.profile, open: !values['no-open'], insecure: values.insecure };
}
