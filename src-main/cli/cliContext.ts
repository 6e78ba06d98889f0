import type { Logger } from '../../src-shared/domain/runtime';
import { openProfileVault, profileExists } from '../core/profile/profileFiles';
import { wipeProfileKeys } from '../core/host/profileKeyFile';
import { ParleyCore } from '../core/parleyCore';
import { isLogLevel, streamLogger } from '../core/util/streamLogger';
import type { Vault } from '../core/vault/vault';
import { readNewSecret, readSecret } from './secretInput';

/** What every command runs with: the real clock, and logs on stderr only when asked for. */
export function cliLogger(): Logger {
  const level = process.env.PARLEY_LOG_LEVEL ?? 'silent';
  return streamLogger(isLogLevel(level) ? level : 'silent', (line) => process.stderr.write(line));
}

export const systemClock = { now: () => Date.now() };

export async function openVault(profile: string, create = false): Promise<Vault> {
  const passphrase =
    create && !profileExists(profile)
      ? await readNewSecret('PARLEY_PASSPHRASE', 'a passphrase for this profile')
      : await readSecret('PARLEY_PASSPHRASE', 'the profile passphrase');
  return openProfileVault(profile, passphrase, create);
}

export class SessionEndedError extends Error {
  constructor() {
    super("this device's session was ended from another device: its keys and messages were deleted from this profile");
    this.name = 'SessionEndedError';
  }
}

/**
 * Opens a registered profile's core (not yet connected). `insecure` (--insecure) allows a
 * profile whose server is http:// to another machine; without it that throws InsecureTransportError.
 * `stopped` rejects when the core cannot go on: its connection's fatal reason, or
 * SessionEndedError when another device ended this one's session (A9); `close` then deletes the
 * profile's vault and key, as the desktop app does.
 */
export async function openCore(profile: string, insecure: boolean): Promise<{ core: ParleyCore; stopped: Promise<never>; close: () => Promise<void> }> {
  const vault = await openVault(profile);
  let core: ParleyCore;
  try {
    core = ParleyCore.open({ vault, clock: systemClock, logger: cliLogger(), allowInsecureTransport: insecure });
  } catch (error) {
    vault.close();
    throw error;
  }
  let ended = false;
  const stopped = new Promise<never>((_, reject) => {
    core.onFatal.on((reason) => reject(new Error(reason)));
    core.onSessionEnded.on(() => {
      ended = true;
      reject(new SessionEndedError());
    });
  });
  stopped.catch(() => undefined); // a command that never waits on it still exits cleanly
  return {
    core,
    stopped,
    close: async () => {
      await core.stop();
      vault.close();
      if (ended) wipeProfileKeys(profile);
    },
  };
}
