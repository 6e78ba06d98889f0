import { historyDatabaseName } from './historyDatabaseName';
import { createHistoryDatabase, type HistoryDatabase } from './db';
import { deriveHistoryKeys } from './encryption/storageKeys';
import { SealedRecordError, WrongStorageKeyError } from './historyErrors';
import type { HistoryMigration } from './migrations/historyMigration';
import { createSearchTermHasher, type SearchTermHasher } from './search/searchTerms';

/** An open history: what every write and query function takes first. */
export type HistoryStore = {
  readonly db: HistoryDatabase;
  /** My account id: my messages are keyed by it, and receipts apply only to them. */
  readonly accountId: string;
  readonly search: SearchTermHasher;
  readonly clock: { now(): number };
  close(): void;
};

export type OpenHistoryOptions = {
  /** My account id. */
  accountId: string;
  /** 32 bytes, unwrapped by main at unlock. Not kept: only keys derived from it are. */
  storageKey: Uint8Array;
  /** One database per account by default, so two accounts on one profile never mix. */
  name?: string;
  clock?: { now(): number };
  migrations?: readonly HistoryMigration[];
  indexedDB?: IDBFactory;
  IDBKeyRange?: typeof IDBKeyRange;
};

export { historyDatabaseName };

/**
 * Opens (creating or upgrading) the history and proves the storage key is the one it was made
 * with. Rejects with WrongStorageKeyError, before any record is read, if it is not.
 */
export async function openHistoryStore(options: OpenHistoryOptions): Promise<HistoryStore> {
  const keys = deriveHistoryKeys(options.storageKey);
  const db = createHistoryDatabase({
    name: options.name ?? historyDatabaseName(options.accountId),
    recordKey: keys.recordKey,
    ...(options.migrations ? { migrations: options.migrations } : {}),
    ...(options.indexedDB ? { indexedDB: options.indexedDB } : {}),
    ...(options.IDBKeyRange ? { IDBKeyRange: options.IDBKeyRange } : {}),
  });
  const clock = options.clock ?? { now: () => Date.now() };
  await db.open();
  try {
    await db.transaction('rw', db.keyCheck, async () => {
      const check = await db.keyCheck.get('storageKey');
      if (check === undefined) await db.keyCheck.add({ id: 'storageKey', createdAt: clock.now() });
    });
  } catch (error) {
    db.close();
    throw error instanceof SealedRecordError ? new WrongStorageKeyError() : error;
  }
  return {
    db,
    accountId: options.accountId,
    search: createSearchTermHasher(keys.searchKey),
    clock,
    close: () => db.close(),
  };
}
