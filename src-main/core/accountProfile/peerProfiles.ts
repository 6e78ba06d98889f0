import type { InboxItem } from '../../../src-shared/domain/messages';
import type { Logger } from '../../../src-shared/domain/runtime';
import { ServerError, ServerUnreachableError, type ServerApi } from '../api/serverApi';
import { Emitter } from '../util/emitter';
import type { Vault } from '../vault/vault';
import type { VaultTransaction } from '../vault/vaultTransaction';
import { openProfile, ProfileUnreadableError, profileVersionOf } from './profileSeal';

type PeerProfileRecord = { accountId: string; key: string; version: string; fetched: boolean };

/**
 * Other people's profiles (A2): the keys they gave me in `profile_key` messages, kept in the
 * vault, and their sealed profiles fetched with them. A fetched profile goes to the history store
 * as an inbox item (their display name and bio); one that could not be fetched is tried again
 * at the next connect.
 */
export class PeerProfiles {
  /** New profile items are in the inbox. */
  readonly onInboxChanged = new Emitter<void>();

  constructor(
    private readonly options: {
      vault: Vault;
      api: ServerApi;
      logger: Logger;
      /** B3: a blocked account's profile is never fetched. */
      isBlocked(accountId: string): boolean;
    },
  ) {}

  /**
   * In the receiver's batch: `accountId` gave me their key. False when the version is not the
   * key's (a malformed or forged message), which is dropped.
   */
  stage(transaction: VaultTransaction, accountId: string, key: string, version: string): boolean {
    if (profileVersionOf(Buffer.from(key, 'base64')) !== version) return false;
    transaction.putJson('peerProfile', accountId, { accountId, key, version, fetched: false } satisfies PeerProfileRecord);
    return true;
  }

  /** Fetches and opens the profiles of `accountIds` (whose new keys were just committed). */
  async fetch(accountIds: Iterable<string>): Promise<void> {
    for (const accountId of new Set(accountIds)) {
      const stored = this.options.vault.read('peerProfile', accountId);
      if (stored) await this.fetchOne(JSON.parse(stored.toString('utf8')) as PeerProfileRecord);
    }
  }

  /** At connect: the profiles whose fetch failed before. */
  async fetchPending(): Promise<void> {
    const pending = this.options.vault
      .list('peerProfile', 1_000_000)
      .map((bytes) => JSON.parse(bytes.toString('utf8')) as PeerProfileRecord)
      .filter((record) => !record.fetched);
    for (const record of pending) await this.fetchOne(record);
  }

  private async fetchOne(record: PeerProfileRecord) {
    if (this.options.isBlocked(record.accountId)) return;
    const { vault, api, logger } = this.options;
    let item: InboxItem | undefined;
    try {
      const { ciphertext } = await api.profile(record.accountId, record.version);
      item = { inboxId: `profile:${record.accountId}`, kind: 'profile', accountId: record.accountId, profile: openProfile(Buffer.from(record.key, 'base64'), ciphertext) };
    } catch (error) {
      // Offline: tried again at the next connect. Gone (rotated since) or unreadable: their next key brings the next profile.
      if (error instanceof ServerUnreachableError) return;
      if (!(error instanceof ServerError || error instanceof ProfileUnreadableError)) throw error;
      logger.debug('profile.fetch_failed', { reason: error.name });
    }
    const transaction = vault.transaction();
    // A newer key may have come meanwhile: only this version's record is marked.
    const current = vault.read('peerProfile', record.accountId);
    if (current && (JSON.parse(current.toString('utf8')) as PeerProfileRecord).version === record.version) {
      transaction.putJson('peerProfile', record.accountId, { ...record, fetched: true });
    }
    if (item) transaction.putJson('inbox', item.inboxId, item);
    await transaction.commit();
    if (item) this.onInboxChanged.emit();
  }
}
