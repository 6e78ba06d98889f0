import type { Logger } from '../../../src-shared/domain/runtime';
import type { ServerApi } from '../api/serverApi';
import type { SyncedPreferences } from '../preferences/syncedPreferences';
import type { ProfileKeysReceived } from '../sync/envelopeReceiver';
import type { Vault } from '../vault/vault';
import type { VaultTransaction } from '../vault/vaultTransaction';
import { OwnProfile } from './ownProfile';
import { PeerProfiles } from './peerProfiles';

/**
 * Profiles (A2) as the core drives them: mine (OwnProfile) and other people's (PeerProfiles),
 * and the moments they move — a message sent, keys received, a connect, a block. What they do
 * in the background is tracked, so `idle()` lets the core stop cleanly.
 */
export class Profiles {
  readonly own: OwnProfile;
  readonly peers: PeerProfiles;
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly options: { vault: Vault; api: ServerApi; preferences: SyncedPreferences; accountId: string; now: () => number; logger: Logger; flushOutbox: () => void },
  ) {
    const { preferences } = options;
    this.own = new OwnProfile(options);
    this.peers = new PeerProfiles({ ...options, isBlocked: (accountId) => preferences.isBlocked(accountId) });
  }

  /** In the receiver's batch: `accountId` gave me their key (false: dropped, it does not match). */
  stage(transaction: VaultTransaction, accountId: string, key: string, version: string): boolean {
    return this.peers.stage(transaction, accountId, key, version);
  }

  /** In the receiver's batch: another device of mine gave `accountId` my key. */
  stageShare(transaction: VaultTransaction, accountId: string, version: string) {
    this.own.stageShare(transaction, accountId, version);
  }

  /** I wrote to `accountId`: they get my profile key if they lack this version. */
  sent(accountId: string) {
    this.background('profile.share_failed', () => this.own.shareWith(accountId));
  }

  /** A batch brought profile keys: fetch those people's profiles, or my own again. */
  received(keys: ProfileKeysReceived) {
    if (keys.peers.length > 0) this.background('profile.fetch_failed', () => this.peers.fetch(keys.peers));
    if (keys.own) this.background('profile.refresh_failed', () => this.own.refresh());
  }

  /** Connected: the profiles that could not be fetched before. */
  connected() {
    this.background('profile.fetch_failed', () => this.peers.fetchPending());
  }

  /** B3: I just blocked `accountIds`; a new key leaves them behind. Resolves once it is given out. */
  blocked(accountIds: ReadonlySet<string>): Promise<void> {
    return this.own.rotate(accountIds);
  }

  async idle() {
    while (this.running.size > 0) await Promise.all(this.running);
  }

  private background(event: string, work: () => Promise<void>) {
    const running = work()
      .catch((error: unknown) => this.options.logger.warn(event, { reason: error instanceof Error ? error.name : 'unknown' }))
      .finally(() => this.running.delete(running));
    this.running.add(running);
  }
}
