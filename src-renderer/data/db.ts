import { Dexie, type EntityTable, type Table } from 'dexie';
import { createEncryptionMiddleware } from './encryptionMiddleware';
import type { HistoryMigration } from './migrations/historyMigration';
import { historyMigrations } from './migrations/historyMigrations';
import type { ChatRecord, ContactRecord, KeyCheckRecord, MessageRecord, SettingRecord, UnreadMessageRecord } from './records';

/** Messages are keyed by [senderAccountId, messageId]. */
export type MessageKey = [senderAccountId: string, messageId: string];

/** Unread messages are keyed by their position in their conversation. */
export type UnreadMessageKey = [conversationId: string, sentAt: number, senderAccountId: string, messageId: string];

export type HistoryDatabase = Dexie & {
  chats: EntityTable<ChatRecord, 'conversationId'>;
  messages: Table<MessageRecord, MessageKey>;
  unreadMessages: Table<UnreadMessageRecord, UnreadMessageKey>;
  contacts: EntityTable<ContactRecord, 'accountId'>;
  settings: EntityTable<SettingRecord, 'name'>;
  keyCheck: EntityTable<KeyCheckRecord, 'id'>;
};

/** The index a conversation's messages are read through, in display order. */
export const CONVERSATION_ORDER_INDEX = '[conversationId+sentAt+senderAccountId+messageId]';
/** Multi-entry: one [term hash, sentAt] entry per search term of a message (records.ts DatedSearchTerm). */
export const SEARCH_INDEX = 'datedSearchTerms';

export type HistoryDatabaseOptions = {
  name: string;
  /** The sealing key (derived from the storage key, see encryption/storageKeys.ts). */
  recordKey: Uint8Array;
  /** Defaults to every version; the migration tests build the database as an older version was. */
  migrations?: readonly HistoryMigration[];
  /** Injected in tests and tools; the browser's own by default. */
  indexedDB?: IDBFactory;
  IDBKeyRange?: typeof IDBKeyRange;
};

/** Declares the schema versions and installs the encryption middleware; does not open. */
export function createHistoryDatabase(options: HistoryDatabaseOptions): HistoryDatabase {
  const db = new Dexie(options.name, {
    autoOpen: false,
    ...(options.indexedDB ? { indexedDB: options.indexedDB } : {}),
    ...(options.IDBKeyRange ? { IDBKeyRange: options.IDBKeyRange } : {}),
  }) as HistoryDatabase;
  for (const migration of options.migrations ?? historyMigrations) {
    const version = db.version(migration.version).stores(migration.stores);
    if (migration.upgrade) version.upgrade(migration.upgrade);
  }
  db.use(createEncryptionMiddleware(options.recordKey));
  return db;
}

export function messageKey(record: { senderAccountId: string; messageId: string }): MessageKey {
  return [record.senderAccountId, record.messageId];
}
