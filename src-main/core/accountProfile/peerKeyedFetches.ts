import type { InboxItem } from '../../../src-shared/domain/messages';
import type { Logger } from '../../../src-shared/domain/runtime';
import type { ServerApi } from '../api/serverApi';
import { Emitter } from '../util/emitter';
import type { Vault } from '../vault/vault';

/** A key someone gave me, and whether what it opens was fetched. */
export type PeerKeyRecord = { accountId: string; key: string; version: string; fetched: boolean };

export type PeerFetchOptions = {
  vault: Vault;
  api: ServerApi;
  logger: Logger;
  /** B3: nothing of a blocked account is fetched. */
  isBlocked(accountId: string): boolean;
};

/**
 * What other people's profiles (A2) and avatars (A4) share: the keys they gave me, kept in the
 * vault under `collection`; what each opens, fetched once the key is committed, and again at the
 * next connect if the fetch could not happen then. Each kind says what a record opens to:
 * an inbox item, `null` (nothing to show; done), or `'retry'` (try again at the next connect).
 */
export abstract class PeerKeyedFetches {
  /** New items are in the inbox. */
  readonly onInboxChanged = new Emitter<void>();

  protected constructor(
    private readonly collection: 'peerProfile' | 'peerAvatar',
    protected readonly options: PeerFetchOptions,
  ) {}

  /** Fetches and opens what the keys of `accountIds` (just committed) open. */
  async fetch(accountIds: Iterable<string>): Promise<void> {
    for (const accountId of new Set(accountIds)) {
      const record = this.read(accountId);
      if (record) await this.fetchOne(record);
    }
  }

  /** At connect: the fetches that failed before. */
  async fetchPending(): Promise<void> {
    const pending = this.options.vault
      .list(this.collection, 1_000_000)
      .map((bytes) => JSON.parse(bytes.toString('utf8')) as PeerKeyRecord)
      .filter((record) => !record.fetched);
    for (const record of pending) await this.fetchOne(record);
  }

  protected abstract open(record: PeerKeyRecord): Promise<InboxItem | null | 'retry'>;

  private read(accountId: string): PeerKeyRecord | undefined {
    const stored = this.options.vault.read(this.collection, accountId);
    return stored ? (JSON.parse(stored.toString('utf8')) as PeerKeyRecord) : undefined;
  }

  private async fetchOne(record: PeerKeyRecord) {
    if (this.options.isBlocked(record.accountId)) return;
    const item = await this.open(record);
    if (item === 'retry') return;
    // A newer key may have come meanwhile: then its own fetch says what shows.
    if (this.read(record.accountId)?.version !== record.version) return;
    const transaction = this.options.vault.transaction();
    transaction.putJson(this.collection, record.accountId, { ...record, fetched: true } satisfies PeerKeyRecord);
    if (item) transaction.putJson('inbox', item.inboxId, item);
    await transaction.commit();
    if (item) this.onInboxChanged.emit();
  }
}
