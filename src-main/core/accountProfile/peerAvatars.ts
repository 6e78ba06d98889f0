import type { InboxItem } from '../../../src-shared/domain/messages';
import type { Logger } from '../../../src-shared/domain/runtime';
import type { AvatarKeyContent } from '../../../src-shared/protocol/content';
import { ServerError, ServerUnreachableError, type ServerApi } from '../api/serverApi';
import { Emitter } from '../util/emitter';
import type { Vault } from '../vault/vault';
import type { VaultTransaction } from '../vault/vaultTransaction';
import { avatarVersionOf, openAvatar, ProfileUnreadableError } from './profileSeal';

type PeerAvatarRecord = { accountId: string; key: string; version: string; fetched: boolean };

const avatarItem = (accountId: string, image: Buffer | null): InboxItem => ({
  inboxId: `avatar:${accountId}`,
  kind: 'avatar',
  accountId,
  image: image ? image.toString('base64') : null,
});

/**
 * Other people's avatars (A4): the avatar keys they gave me, kept in the vault, and the sealed
 * images fetched with them, which go to the history store as inbox items. A `null` key (they no
 * longer show it to me) and an avatar the server no longer has under my key (they rotated it
 * without me) both drop it. One that could not be fetched is tried again at the next connect.
 */
export class PeerAvatars {
  /** New avatar items are in the inbox. */
  readonly onInboxChanged = new Emitter<void>();

  constructor(
    private readonly options: {
      vault: Vault;
      api: ServerApi;
      logger: Logger;
      isBlocked(accountId: string): boolean;
    },
  ) {}

  /**
   * In the receiver's batch: `accountId` gave me their avatar key, or took it back. 'fetch' when
   * there is an image to fetch once committed, 'dropped' when I am to forget theirs (its inbox
   * item is staged), 'ignored' when the version is not the key's (malformed or forged).
   */
  stage(transaction: VaultTransaction, accountId: string, content: AvatarKeyContent): 'fetch' | 'dropped' | 'ignored' {
    if (content.key === null) {
      transaction.delete('peerAvatar', accountId);
      transaction.putJson('inbox', `avatar:${accountId}`, avatarItem(accountId, null));
      return 'dropped';
    }
    if (avatarVersionOf(Buffer.from(content.key, 'base64')) !== content.version) return 'ignored';
    transaction.putJson('peerAvatar', accountId, { accountId, key: content.key, version: content.version, fetched: false } satisfies PeerAvatarRecord);
    return 'fetch';
  }

  /** Fetches and opens the avatars of `accountIds` (whose new keys were just committed). */
  async fetch(accountIds: Iterable<string>): Promise<void> {
    for (const accountId of new Set(accountIds)) {
      const stored = this.options.vault.read('peerAvatar', accountId);
      if (stored) await this.fetchOne(JSON.parse(stored.toString('utf8')) as PeerAvatarRecord);
    }
  }

  /** At connect: the avatars whose fetch failed before. */
  async fetchPending(): Promise<void> {
    const pending = this.options.vault
      .list('peerAvatar', 1_000_000)
      .map((bytes) => JSON.parse(bytes.toString('utf8')) as PeerAvatarRecord)
      .filter((record) => !record.fetched);
    for (const record of pending) await this.fetchOne(record);
  }

  private async fetchOne(record: PeerAvatarRecord) {
    if (this.options.isBlocked(record.accountId)) return;
    const { vault, api, logger } = this.options;
    let item: InboxItem | undefined;
    try {
      const { ciphertext } = await api.avatar(record.accountId, record.version);
      item = avatarItem(record.accountId, openAvatar(Buffer.from(record.key, 'base64'), ciphertext));
    } catch (error) {
      if (error instanceof ServerUnreachableError) return;
      if (!(error instanceof ServerError || error instanceof ProfileUnreadableError)) throw error;
      logger.debug('avatar.fetch_failed', { reason: error.name });
      // Not there under my key (they replaced it with one I was not given), or not openable with it: none shows.
      if ((error instanceof ServerError && error.code === 'not_found') || error instanceof ProfileUnreadableError) item = avatarItem(record.accountId, null);
    }
    // Refused for another reason (rate-limited, a server error): tried again at the next connect.
    if (!item) return;
    const transaction = vault.transaction();
    const current = vault.read('peerAvatar', record.accountId);
    const stillCurrent = current !== undefined && (JSON.parse(current.toString('utf8')) as PeerAvatarRecord).version === record.version;
    // A newer key may have come meanwhile: then its own fetch says what shows.
    if (!stillCurrent) return;
    transaction.putJson('peerAvatar', record.accountId, { ...record, fetched: true });
    transaction.putJson('inbox', item.inboxId, item);
    await transaction.commit();
    this.onInboxChanged.emit();
  }
}
