import type { Clock, Logger } from '../../../src-shared/domain/runtime';
import type { BridgeHost } from '../bridge/bridgeHost';
import { accountServiceOf } from './accountService';
import { archiveServiceOf } from './archiveService';
import { preferencesServiceOf } from './preferencesService';
import { phoneServiceOf } from './phoneService';
import { profileServiceOf } from './profileService';
import { contactsServiceOf } from './contactsService';
import { devicesServiceOf } from './devicesService';
import { messagingServiceOf } from './messagingService';
import { ProfileSession } from './profileSession';
import type { VaultKeyProtection } from './vaultKeyProtection';

export type { Keychain, VaultKeyProtection } from './vaultKeyProtection';

export type BridgeHostOptions = {
  /** The profile folder (created at register when missing): the vault and its key file. */
  profileDir: string;
  /** Where `account.register` creates the account; afterwards the account record's server is used. */
  serverUrl: string;
  keyProtection: VaultKeyProtection;
  clock: Clock;
  logger: Logger;
  /**
   * Allow http:// and ws:// to a server on another machine (`--insecure`), at register and for
   * the core. Without it such a server makes register, unlock or a keychain sign-in throw
   * InsecureTransportError.
   */
  allowInsecureTransport?: boolean;
};

/**
 * One profile's host for a shell: the implementation of every bridge service, its events, and
 * close(). With keychain protection a registered profile is signed in (and its core started)
 * before this resolves; with password protection it starts `locked`. Rejects with
 * VaultInUseError when a keychain profile is open in another process (a password profile
 * reports that at `unlock` as `profile_in_use`).
 */
export async function openBridgeHost(options: BridgeHostOptions): Promise<BridgeHost> {
  const session = await ProfileSession.open(options);
  return {
    implementation: {
      account: accountServiceOf(session),
      messaging: messagingServiceOf(session),
      contacts: contactsServiceOf(session),
      devices: devicesServiceOf(session),
      archive: archiveServiceOf(session),
      preferences: preferencesServiceOf(session),
      profile: profileServiceOf(session),
      phone: phoneServiceOf(session),
    },
    onEvent: (listener) => session.onEvent.on(listener),
    close: () => session.close(),
  };
}
