import type { InboxItem } from '../../../src-shared/domain/messages';
import type { AvatarKeyContent } from '../../../src-shared/protocol/content';
import { ServerError, ServerUnreachableError } from '../api/serverApi';
import type { VaultTransaction } from '../vault/vaultTransaction';
import { PeerKeyedFetches, type PeerFetchOptions, type PeerKeyRecord } from './peerKeyedFetches';
import { avatarVersionOf, openAvatar, ProfileUnreadableError } from './profileSeal';

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
export class PeerAvatars extends PeerKeyedFetches {
  constructor(options: PeerFetchOptions) {
    super('peerAvatar', options);
  }

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
    transaction.putJson('peerAvatar', accountId, { accountId, key: content.key, version: content.version, fetched: false } satisfies PeerKeyRecord);
    return 'fetch';
  }

  protected async open(record: PeerKeyRecord): Promise<InboxItem | null | 'retry'> {
    try {
      const { ciphertext } = await this.options.api.avatar(record.accountId, record.version);
      return avatarItem(record.accountId, openAvatar(Buffer.from(record.key, 'base64'), ciphertext));
    } catch (error) {
      if (error instanceof ServerUnreachableError) return 'retry';
      if (!(error instanceof ServerError || error instanceof ProfileUnreadableError)) throw error;
      this.options.logger.debug('avatar.fetch_failed', { reason: error.name });
      // Not there under my key (they replaced it with one I was not given), or not openable with it: none shows.
      if (error instanceof ProfileUnreadableError || error.code === 'not_found') return avatarItem(record.accountId, null);
      // Refused for another reason (rate-limited, a server error): tried again at the next connect.
      return 'retry';
    }
  }
}
