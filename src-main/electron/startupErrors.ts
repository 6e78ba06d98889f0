import { ELECTRON_USAGE } from './electronArguments';

export type StartupProblem = { title: string; message: string; exitCode: number };

const nameOf = (error: unknown) => (error instanceof Error ? error.name : '');
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A native module built for Node's ABI, loaded by Electron's (or the reverse). */
export function isNativeModuleMismatch(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_DLOPEN_FAILED' || /NODE_MODULE_VERSION|compiled against a different Node\.js version/.test(messageOf(error));
}

/**
 * What to tell the person when the app cannot start, in a dialog (the app may have been started
 * from a desktop icon, with nobody reading stderr). `keychainFallbackReason` is why the keychain
 * was not used, if it was not.
 */
export function describeStartupError(error: unknown, keychainFallbackReason?: string): StartupProblem {
  const title = 'Parley cannot start';
  switch (nameOf(error)) {
    case 'ElectronUsageError':
      return { title, message: `${messageOf(error)}\n\n${ELECTRON_USAGE}`, exitCode: 2 };
    case 'VaultInUseError':
      return {
        title,
        message: 'This profile is open in another Parley process (the command-line client, or the web shell). Close that one first.',
        exitCode: 1,
      };
    case 'KeychainProfileError':
      return {
        title,
        message:
          "This profile's key is sealed by the system keychain, which cannot be used now" +
          `${keychainFallbackReason ? `: ${keychainFallbackReason}` : ''}. Start Parley in a session where the keychain is unlocked.`,
        exitCode: 1,
      };
    case 'KeychainRefusedError':
    case 'CorruptKeyFileError':
      return { title, message: `${capitalise(messageOf(error))}.`, exitCode: 1 };
  }
  if (isNativeModuleMismatch(error)) {
    return {
      title,
      message:
        'A native module (better-sqlite3) is built for Node.js, not for Electron. In the project folder run ' +
        '`npx @electron/rebuild -f -o better-sqlite3` (and `npm rebuild better-sqlite3` before using Node again). ' +
        `Details: ${messageOf(error)}`,
      exitCode: 1,
    };
  }
  return { title, message: `Something went wrong while opening the profile: ${messageOf(error)}`, exitCode: 1 };
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
