import { randomBytes } from 'node:crypto';
import type { Logger } from '../../../src-shared/domain/runtime';
import type { AvatarKeyContent } from '../../../src-shared/protocol/content';
import { ServerError, type ServerApi } from '../api/serverApi';
import type { SyncedPreferences } from '../preferences/syncedPreferences';
import { enqueueOutgoing } from '../sync/outboxEntry';
import { Emitter } from '../util/emitter';
import type { Vault } from '../vault/vault';
import type { VaultTransaction } from '../vault/vaultTransaction';
import { avatarFromFile } from './avatarImage';
import { avatarVersionOf, openAvatar, ProfileUnreadableError, sealAvatar } from './profileSeal';

const OWN_AVATAR = 'ownAvatar';
/** Set while a rotation is owed (begun, not finished). */
const ROTATION_OWED = 'avatarRotationOwed';

/** Who holds my avatar key at which version. */
type AvatarShare = { accountId: string; version: string };

/**
 * My avatar (A4), sealed with an avatar key of its own, apart from the profile key, so that who
 * sees it is a choice: the key goes only to those `avatarVisibility` lets in — everyone who has
 * my profile (and my contacts), my contacts only, or nobody. Enforced by the key, not by the
 * server: whenever someone who holds the key is no longer allowed (the setting narrowed, a
 * contact removed, someone blocked), the key is rotated, the avatar sealed again under the new
 * one replaces the old on the server, and only those allowed get the new key; those left out
 * are told to drop what they have. Changes run one at a time.
 */
export class OwnAvatar {
  /** My avatar changed (a WebP square, base64), here or on another of my devices; null: none. */
  readonly onChange = new Emitter<string | null>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly options: {
      vault: Vault;
      api: ServerApi;
      preferences: SyncedPreferences;
      accountId: string;
      now: () => number;
      logger: Logger;
      flushOutbox: () => void;
      /** Everyone who has my profile key (the people I write to): "everyone" for the avatar. */
      profileHolders: () => string[];
    },
  ) {}

  /** My avatar as this device holds it, or null. */
  get current(): Buffer | null {
    return this.options.vault.read('meta', OWN_AVATAR) ?? null;
  }

  /**
   * Makes `file` my avatar (cropped and scaled here; AvatarImageError when it is no image or too
   * large), seals it under a new key and gives that key to those allowed to see it.
   */
  set(file: Uint8Array): Promise<Buffer> {
    return this.serially(async () => {
      const image = await avatarFromFile(file);
      await this.publish(image);
      return image;
    });
  }

  /** Removes my avatar: gone from the server, and everyone who had it is told to drop it. */
  remove(): Promise<void> {
    return this.serially(() => this.publish(null));
  }

  /**
   * After a change to who may see it (the setting, my contacts, a block, someone new who got my
   * profile key): the key to whoever is allowed and lacks it, and a rotation if anyone who holds
   * it is no longer allowed.
   */
  reconcile(): Promise<void> {
    return this.serially(async () => {
      const key = this.options.preferences.avatarKey;
      const image = key ? await this.currentOrFetched(key) : null;
      if (!image || !key) return;
      // A narrowing whose rotation did not finish (offline, a server error) is finished now.
      if (this.options.vault.read('meta', ROTATION_OWED)) return this.publish(image);
      const allowed = this.allowed();
      const holders = this.shares();
      if (holders.some((share) => !allowed.has(share.accountId))) return this.publish(image);
      const version = avatarVersionOf(key);
      const lacking = [...allowed].filter((accountId) => !holders.some((share) => share.accountId === accountId && share.version === version));
      if (lacking.length === 0) return;
      const transaction = this.options.vault.transaction();
      for (const accountId of lacking) this.sendKey(transaction, accountId, key);
      await transaction.commit();
      this.options.flushOutbox();
    });
  }

  /** I wrote to `accountId`: they get my avatar key if they may see it and lack this version (cheap: once per message sent). */
  shareWith(accountId: string): Promise<void> {
    return this.serially(async () => {
      const key = this.options.preferences.avatarKey;
      // Cheapest first: this runs for every message sent.
      if (!key || !this.mayHold(accountId)) return;
      const held = this.options.vault.read('avatarShare', accountId);
      if (held && (JSON.parse(held.toString('utf8')) as AvatarShare).version === avatarVersionOf(key)) return;
      if (!this.current) return;
      const transaction = this.options.vault.transaction();
      this.sendKey(transaction, accountId, key);
      await transaction.commit();
      this.options.flushOutbox();
    });
  }

  /**
   * After someone lost the right to see it (the setting narrowed, a contact removed, a block):
   * a new key at once, whoever this device thinks holds the old one (a linked device does not
   * know all of them). Owed until done, so a failure is finished at the next connect.
   */
  rotate(): Promise<void> {
    return this.serially(async () => {
      const key = this.options.preferences.avatarKey;
      const image = key ? await this.currentOrFetched(key) : null;
      if (!image) return;
      const owed = this.options.vault.transaction();
      owed.put('meta', ROTATION_OWED, Buffer.of(1));
      await owed.commit();
      await this.publish(image);
    });
  }

  /** My avatar as this device holds it, or as the server keeps it under my key (a linked device may not have it yet). */
  private async currentOrFetched(key: Buffer): Promise<Buffer | null> {
    const held = this.current;
    if (held) return held;
    try {
      const image = openAvatar(key, (await this.options.api.avatar(this.options.accountId, avatarVersionOf(key))).ciphertext);
      const transaction = this.options.vault.transaction();
      transaction.put('meta', OWN_AVATAR, image);
      await transaction.commit('relaxed');
      return image;
    } catch (error) {
      if (error instanceof ServerError || error instanceof ProfileUnreadableError) return null; // none, or replaced meanwhile
      throw error;
    }
  }

  /** Another of my devices changed my avatar (its `refresh`): fetch it under the key it names, or drop it. */
  refresh(key: string | null): Promise<void> {
    return this.serially(async () => {
      const transaction = this.options.vault.transaction();
      let image: Buffer | null = null;
      if (key !== null) {
        const keyBytes = Buffer.from(key, 'base64');
        try {
          image = openAvatar(keyBytes, (await this.options.api.avatar(this.options.accountId, avatarVersionOf(keyBytes))).ciphertext);
        } catch (error) {
          // Replaced again meanwhile (a later refresh brings that one) or unreadable.
          if (error instanceof ServerError || error instanceof ProfileUnreadableError) return this.options.logger.debug('avatar.refresh_failed', { reason: error.name });
          throw error;
        }
        transaction.put('meta', OWN_AVATAR, image);
      } else transaction.delete('meta', OWN_AVATAR);
      await transaction.commit('relaxed'); // a cache of what the server holds
      this.onChange.emit(image ? image.toString('base64') : null);
    });
  }

  /** In the receiver's batch: another device of mine gave `accountId` my avatar key (or took it back). */
  stageShare(transaction: VaultTransaction, accountId: string, version: string | undefined) {
    if (accountId === this.options.accountId) return;
    if (version) transaction.putJson('avatarShare', accountId, { accountId, version } satisfies AvatarShare);
    else transaction.delete('avatarShare', accountId);
  }

  /** `image` (or none) under a new key: uploaded, then the key to those allowed and a drop to those not. */
  private async publish(image: Buffer | null) {
    const { api, preferences } = this.options;
    const key = randomBytes(32);
    if (image) await api.putAvatar({ version: avatarVersionOf(key), ciphertext: sealAvatar(key, image) });
    else await api.deleteAvatar();
    await preferences.change([{ key: 'avatarKey', value: key.toString('base64') }]);
    const allowed = image ? this.allowed() : new Set<string>();
    const transaction = this.options.vault.transaction();
    if (image) transaction.put('meta', OWN_AVATAR, image);
    else transaction.delete('meta', OWN_AVATAR);
    for (const share of this.shares()) if (!allowed.has(share.accountId)) this.sendKey(transaction, share.accountId, null);
    for (const accountId of allowed) this.sendKey(transaction, accountId, key);
    this.sendKey(transaction, this.options.accountId, image ? key : null);
    transaction.delete('meta', ROTATION_OWED);
    await transaction.commit();
    this.options.flushOutbox();
    this.onChange.emit(image ? image.toString('base64') : null);
  }

  /** Whether `accountId`, someone I write to, may hold the key now. */
  private mayHold(accountId: string): boolean {
    const { preferences, accountId: self } = this.options;
    if (accountId === self || preferences.isBlocked(accountId)) return false;
    const visibility = preferences.avatarVisibility;
    return visibility === 'everyone' || (visibility === 'contacts' && preferences.isContact(accountId));
  }

  /** Who may hold the key now. */
  private allowed(): Set<string> {
    const { preferences, accountId: self } = this.options;
    const visibility = preferences.avatarVisibility;
    if (visibility === 'nobody') return new Set();
    const candidates = visibility === 'everyone' ? [...preferences.current.contacts, ...this.options.profileHolders()] : preferences.current.contacts;
    return new Set(candidates.filter((accountId) => accountId !== self && !preferences.isBlocked(accountId) && (visibility === 'everyone' || preferences.isContact(accountId))));
  }

  private shares(): AvatarShare[] {
    return this.options.vault.list('avatarShare', 1_000_000).map((bytes) => JSON.parse(bytes.toString('utf8')) as AvatarShare);
  }

  /** The key (or null: drop it) to `accountId`; my other devices' copy says to whom, so they know who holds it. */
  private sendKey(transaction: VaultTransaction, accountId: string, key: Buffer | null) {
    const toSelf = accountId === this.options.accountId;
    const version = key ? avatarVersionOf(key) : undefined;
    const content: AvatarKeyContent = { kind: 'avatar_key', key: key ? key.toString('base64') : null, ...(version && { version }), ...(toSelf && { refresh: true as const }) };
    const syncContent: AvatarKeyContent | undefined = toSelf ? undefined : { ...content, sharedWith: accountId };
    enqueueOutgoing(transaction, { to: accountId, content, createdAt: this.options.now(), ...(syncContent && { syncContent }) });
    if (toSelf) return;
    if (version) transaction.putJson('avatarShare', accountId, { accountId, version } satisfies AvatarShare);
    else transaction.delete('avatarShare', accountId);
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work);
    this.queue = result.catch(() => undefined);
    return result;
  }
}
