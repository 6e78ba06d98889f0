import type { InboxItem } from '../../../src-shared/domain/messages';
import { ServerError, ServerUnreachableError } from '../api/serverApi';
import type { VaultTransaction } from '../vault/vaultTransaction';
import { PeerKeyedFetches, type PeerFetchOptions, type PeerKeyRecord } from './peerKeyedFetches';
import { openProfile, ProfileUnreadableError, profileVersionOf } from './profileSeal';

/**
 * Other people's profiles (A2): the keys they gave me in `profile_key` messages, kept in the
 * vault, and their sealed profiles fetched with them. A fetched profile goes to the history store
 * as an inbox item (their display name and bio); one that could not be fetched is tried again
 * at the next connect.
 */
export class PeerProfiles extends PeerKeyedFetches {
  constructor(options: PeerFetchOptions) {
    super('peerProfile', options);
  }

  /**
   * In the receiver's batch: `accountId` gave me their key. False when the version is not the
   * key's (a malformed or forged message), which is dropped.
   */
  stage(transaction: VaultTransaction, accountId: string, key: string, version: string): boolean {
    if (profileVersionOf(Buffer.from(key, 'base64')) !== version) return false;
    transaction.putJson('peerProfile', accountId, { accountId, key, version, fetched: false } satisfies PeerKeyRecord);
    return true;
  }

  protected async open(record: PeerKeyRecord): Promise<InboxItem | null | 'retry'> {
    try {
      const { ciphertext } = await this.options.api.profile(record.accountId, record.version);
      return { inboxId: `profile:${record.accountId}`, kind: 'profile', accountId: record.accountId, profile: openProfile(Buffer.from(record.key, 'base64'), ciphertext) };
    } catch (error) {
      // Offline: tried again at the next connect. Gone (rotated since) or unreadable: their next key brings the next profile.
      if (error instanceof ServerUnreachableError) return 'retry';
      if (!(error instanceof ServerError || error instanceof ProfileUnreadableError)) throw error;
      this.options.logger.debug('profile.fetch_failed', { reason: error.name });
      return null;
    }
  }
}
