import { randomBytes } from 'node:crypto';
import { profileSchema, type Profile } from '../../../src-shared/domain/profile';
import type { Logger } from '../../../src-shared/domain/runtime';
import type { ProfileKeyContent } from '../../../src-shared/protocol/content';
import { ServerError, type ServerApi } from '../api/serverApi';
import type { SyncedPreferences } from '../preferences/syncedPreferences';
import { enqueueOutgoing } from '../sync/outboxEntry';
import { Emitter } from '../util/emitter';
import type { Vault } from '../vault/vault';
import type { VaultTransaction } from '../vault/vaultTransaction';
import { openProfile, ProfileUnreadableError, profileVersionOf, sealProfile } from './profileSeal';

const OWN_PROFILE = 'ownProfile';

/** Who has my key at which version; `PENDING` — I wrote to them before I had a profile. */
type Share = { accountId: string; version: string };
const PENDING = '';

/**
 * My profile (A2), end-to-end encrypted as Signal does it: a profile key that all my devices
 * share (a synced register, see SyncedPreferences) seals the display name and bio; the server
 * keeps the sealed bytes under the key's version. The key reaches the people I write to only in
 * end-to-end encrypted `profile_key` messages: once each, and again when the profile changes or
 * the key is rotated. Blocking someone rotates the key, so they cannot open what comes after.
 */
export class OwnProfile {
  /** My profile changed, here or on another of my devices. */
  readonly onChange = new Emitter<Profile | null>();

  constructor(
    private readonly options: {
      vault: Vault;
      api: ServerApi;
      preferences: SyncedPreferences;
      accountId: string;
      now: () => number;
      logger: Logger;
      flushOutbox: () => void;
    },
  ) {}

  /** What this device last saved or fetched; null while I have no profile. */
  get current(): Profile | null {
    const stored = this.options.vault.read('meta', OWN_PROFILE);
    if (!stored) return null;
    const parsed = profileSchema.safeParse(JSON.parse(stored.toString('utf8')));
    return parsed.success ? parsed.data : null;
  }

  /**
   * Seals and uploads `input`, then tells my other devices and everyone who has my key that it
   * changed. Throws ZodError for a bad name or bio, the server's errors for a failed upload.
   */
  async save(input: Profile): Promise<Profile> {
    const profile = profileSchema.parse(input);
    const key = this.options.preferences.profileKey ?? (await this.newKey());
    await this.options.api.putProfile({ version: profileVersionOf(key), ciphertext: sealProfile(key, profile) });
    const transaction = this.options.vault.transaction();
    transaction.putJson('meta', OWN_PROFILE, profile);
    this.announceKey(transaction, key, this.shares().map((share) => share.accountId));
    await transaction.commit();
    this.options.flushOutbox();
    this.onChange.emit(profile);
    return profile;
  }

  /**
   * After a message to `accountId`: gives them my profile key unless they have this version.
   * While I have no profile, remembers them, so my first save gives them the key; never to
   * someone I blocked.
   */
  async shareWith(accountId: string): Promise<void> {
    if (accountId === this.options.accountId || this.options.preferences.isBlocked(accountId)) return;
    const key = this.options.preferences.profileKey;
    const version = key ? profileVersionOf(key) : PENDING;
    const held = this.options.vault.read('profileShare', accountId);
    if (held && (JSON.parse(held.toString('utf8')) as Share).version === version) return;
    const transaction = this.options.vault.transaction();
    if (key) this.sendKey(transaction, key, accountId);
    else transaction.putJson('profileShare', accountId, { accountId, version } satisfies Share);
    await transaction.commit();
    this.options.flushOutbox();
  }

  /**
   * B3: a new key for everyone but `dropped` (whom I just blocked): my profile sealed again
   * under it, and the new key to my other devices and everyone else who had the old one.
   */
  async rotate(dropped: ReadonlySet<string>): Promise<void> {
    if (!this.options.preferences.profileKey) {
      const transaction = this.options.vault.transaction();
      for (const accountId of dropped) transaction.delete('profileShare', accountId);
      await transaction.commit();
      return;
    }
    const profile = this.current;
    const key = await this.newKey();
    if (profile) await this.options.api.putProfile({ version: profileVersionOf(key), ciphertext: sealProfile(key, profile) });
    const transaction = this.options.vault.transaction();
    for (const accountId of dropped) transaction.delete('profileShare', accountId);
    this.announceKey(transaction, key, this.shares().map((share) => share.accountId).filter((accountId) => !dropped.has(accountId)));
    await transaction.commit();
    this.options.flushOutbox();
  }

  /** Another of my devices changed my profile: fetch it again under the key my devices share. */
  async refresh(): Promise<void> {
    const key = this.options.preferences.profileKey;
    if (!key) return;
    try {
      const { ciphertext } = await this.options.api.profile(this.options.accountId, profileVersionOf(key));
      const profile = openProfile(key, ciphertext);
      const transaction = this.options.vault.transaction();
      transaction.putJson('meta', OWN_PROFILE, profile);
      await transaction.commit('relaxed'); // a cache of what the server holds
      this.onChange.emit(profile);
    } catch (error) {
      // Not there yet (the key's register overtook the upload) or unreadable: the next nudge tries again.
      if (error instanceof ServerError || error instanceof ProfileUnreadableError) this.options.logger.debug('profile.refresh_failed', { reason: error.name });
      else throw error;
    }
  }

  /** In the receiver's batch: another device of mine gave `accountId` my key at `version`. */
  stageShare(transaction: VaultTransaction, accountId: string, version: string) {
    if (accountId !== this.options.accountId) transaction.putJson('profileShare', accountId, { accountId, version } satisfies Share);
  }

  private async newKey(): Promise<Buffer> {
    const key = randomBytes(32);
    await this.options.preferences.change([{ key: 'profileKey', value: key.toString('base64') }]);
    return key;
  }

  /** Everyone who has (or, once I have a profile, gets) my profile key. */
  holders(): string[] {
    return this.shares().map((share) => share.accountId);
  }

  private shares(): Share[] {
    return this.options.vault.list('profileShare', 1_000_000).map((bytes) => JSON.parse(bytes.toString('utf8')) as Share);
  }

  /** The key to my other devices (fetch my profile again) and to each of `accountIds`. */
  private announceKey(transaction: VaultTransaction, key: Buffer, accountIds: string[]) {
    this.sendKey(transaction, key, this.options.accountId);
    for (const accountId of accountIds) this.sendKey(transaction, key, accountId);
  }

  private sendKey(transaction: VaultTransaction, key: Buffer, accountId: string) {
    const toSelf = accountId === this.options.accountId;
    const content: ProfileKeyContent = { kind: 'profile_key', key: key.toString('base64'), version: profileVersionOf(key), ...(toSelf && { refresh: true as const }) };
    // My other devices' copy says to whom, so each of them gives the next key to the same people.
    const syncContent: ProfileKeyContent | undefined = toSelf ? undefined : { ...content, sharedWith: accountId };
    enqueueOutgoing(transaction, { to: accountId, content, createdAt: this.options.now(), ...(syncContent && { syncContent }) });
    if (!toSelf) transaction.putJson('profileShare', accountId, { accountId, version: content.version } satisfies Share);
  }
}
