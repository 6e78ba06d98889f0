import type { Logger } from '../../src-shared/domain/runtime';
import { openProfileVault, profileExists } from '../core/profile/profileFiles';
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

/**
 * Opens a registered profile's core (not yet connected). `insecure` (--insecure) allows a
 * profile whose server is http:// to another machine; without it that throws InsecureTransportError.
 */
export async function openCore(profile: string, insecure: boolean): Promise<{ core: ParleyCore; close: () => Promise<void> }> {
  const vault = await openVault(profile);
  let core: ParleyCore;
  try {
    core = ParleyCore.open({ vault, clock: systemClock, logger: cliLogger(), allowInsecureTransport: insecure });
  } catch (error) {
    vault.close();
    throw error;
  }
  return {
    core,
    close: async () => {
      await core.stop();
      vault.close();
    },
  };
}
