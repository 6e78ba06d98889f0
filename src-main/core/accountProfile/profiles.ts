import type { Logger } from '../../../src-shared/domain/runtime';
import type { PreferenceChange, Preferences } from '../../../src-shared/domain/preferences';
import type { AvatarKeyContent, ProfileKeyContent } from '../../../src-shared/protocol/content';
import type { ServerApi } from '../api/serverApi';
import type { SyncedPreferences } from '../preferences/syncedPreferences';
import type { ProfileKeysReceived } from '../sync/envelopeReceiver';
import type { Vault } from '../vault/vault';
import type { VaultTransaction } from '../vault/vaultTransaction';
import { narrowsAvatar } from './avatarAudience';
import { OwnAvatar } from './ownAvatar';
import { OwnProfile } from './ownProfile';
import { PeerAvatars } from './peerAvatars';
import { PeerProfiles } from './peerProfiles';

/**
 * Profiles (A2) and avatars (A4) as the core drives them: mine (OwnProfile, OwnAvatar) and other
 * people's (PeerProfiles, PeerAvatars), and the moments they move — a message sent, keys
 * received, a connect, a block, a change to who may see my avatar. What they do in the
 * background is tracked, so `idle()` lets the core stop cleanly.
 */
export class Profiles {
  readonly own: OwnProfile;
  readonly peers: PeerProfiles;
  readonly ownAvatar: OwnAvatar;
  readonly peerAvatars: PeerAvatars;
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly options: { vault: Vault; api: ServerApi; preferences: SyncedPreferences; accountId: string; now: () => number; logger: Logger; flushOutbox: () => void },
  ) {
    const { preferences } = options;
    const isBlocked = (accountId: string) => preferences.isBlocked(accountId);
    this.own = new OwnProfile(options);
    this.peers = new PeerProfiles({ ...options, isBlocked });
    this.ownAvatar = new OwnAvatar({ ...options, profileHolders: () => this.own.holders() });
    this.peerAvatars = new PeerAvatars({ ...options, isBlocked });
  }

  /**
   * In the receiver's batch: a profile or avatar key from `accountId` (from another device of
   * mine when `fromSelf`), noted in `received` for after the commit. True when it staged an
   * inbox item (an avatar to forget).
   */
  stageKey(transaction: VaultTransaction, accountId: string, fromSelf: boolean, content: ProfileKeyContent | AvatarKeyContent, received: ProfileKeysReceived): boolean {
    if (content.kind === 'profile_key') {
      if (fromSelf && content.sharedWith) this.own.stageShare(transaction, content.sharedWith, content.version);
      if (fromSelf) received.own ||= content.refresh === true;
      else if (this.peers.stage(transaction, accountId, content.key, content.version)) received.peers.push(accountId);
      return false;
    }
    if (fromSelf) {
      if (content.sharedWith) this.ownAvatar.stageShare(transaction, content.sharedWith, content.version);
      if (content.refresh) received.ownAvatar = { key: content.key };
      return false;
    }
    const outcome = this.peerAvatars.stage(transaction, accountId, content);
    if (outcome === 'fetch') received.avatarPeers.push(accountId);
    return outcome === 'dropped';
  }

  /** I wrote to `accountId`: they get my profile key if they lack this version, and my avatar's if they may see it. */
  sent(accountId: string) {
    this.background('profile.share_failed', async () => {
      await this.own.shareWith(accountId);
      await this.ownAvatar.shareWith(accountId);
    });
  }

  /** A batch brought profile or avatar keys: fetch those people's profiles and avatars, or my own again. */
  received(keys: ProfileKeysReceived) {
    if (keys.peers.length > 0) this.background('profile.fetch_failed', () => this.peers.fetch(keys.peers));
    if (keys.own) this.background('profile.refresh_failed', () => this.own.refresh());
    if (keys.avatarPeers.length > 0) this.background('avatar.fetch_failed', () => this.peerAvatars.fetch(keys.avatarPeers));
    const ownAvatar = keys.ownAvatar;
    if (ownAvatar) this.background('avatar.refresh_failed', () => this.ownAvatar.refresh(ownAvatar.key));
  }

  /** Connected: the profiles and avatars that could not be fetched before, and an avatar rotation still owed. */
  connected() {
    this.background('profile.fetch_failed', () => this.peers.fetchPending());
    this.background('avatar.fetch_failed', () => this.peerAvatars.fetchPending());
    this.background('avatar.reconcile_failed', () => this.ownAvatar.reconcile());
  }

  /**
   * Changes the synced settings (SyncedPreferences.change) and the keys they decide: blocking
   * someone rotates my profile and avatar keys past them (B3); a narrower audience for my avatar
   * (the setting, a contact removed) rotates its key, a wider one gives it to whoever may now
   * see it (A4). Resolves once the keys are given out.
   */
  async changePreferences(changes: PreferenceChange[]): Promise<Preferences> {
    const { preferences } = this.options;
    const blocking = new Set(changes.flatMap((change) => (change.key === 'blocked' && change.value && !preferences.isBlocked(change.accountId) ? [change.accountId] : [])));
    const before = preferences.avatarVisibility;
    const changed = await preferences.change(changes);
    if (blocking.size > 0) {
      await this.own.rotate(blocking);
      await this.ownAvatar.rotate();
    } else if (changes.some((change) => change.key === 'avatarVisibility' || change.key === 'contact' || change.key === 'blocked')) {
      await (narrowsAvatar(before, changed.avatarVisibility, changes) ? this.ownAvatar.rotate() : this.ownAvatar.reconcile());
    }
    return changed;
  }

  /** Runs `work` in the background like the profile work, so `idle()` waits for it too; a failure is logged as `event`. */
  run(event: string, work: () => Promise<void>) {
    this.background(event, work);
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
