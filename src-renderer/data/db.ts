import { Dexie, type EntityTable, type Table } from 'dexie';
import { createEncryptionMiddleware } from './encryptionMiddleware';
import type { HistoryMigration } from './migrations/historyMigration';
import { historyMigrations } from './migrations/historyMigrations';
import type { ChatRecord, ContactRecord, KeyCheckRecord, MessagePageRecord, SettingRecord, UnreadBlockRecord } from './records';

/** A message is known by [senderAccountId, messageId]; pages list these keys (keyString) in a multi-entry index. */
export type MessageKey = [senderAccountId: string, messageId: string];

/** Unread blocks are keyed by their conversation and the position their first message had when written. */
export type UnreadBlockKey = [conversationId: string, firstSentAt: number, firstSenderAccountId: string, firstMessageId: string];

export type HistoryDatabase = Dexie & {
  chats: EntityTable<ChatRecord, 'conversationId'>;
  messagePages: EntityTable<MessagePageRecord, 'pageId'>;
  unreadBlocks: Table<UnreadBlockRecord, UnreadBlockKey>;
  contacts: EntityTable<ContactRecord, 'accountId'>;
  settings: EntityTable<SettingRecord, 'name'>;
  keyCheck: EntityTable<KeyCheckRecord, 'id'>;
};

/** A conversation's pages in display order, by their first message's position. */
export const PAGE_ORDER_INDEX = '[conversationId+firstSentAt+firstSenderAccountId+firstMessageId]';
/** Multi-entry: the keyString of every message a page holds. */
export const MESSAGE_KEY_INDEX = 'messageKeys';
/** A conversation's pages with their message counts, read as keys to count its messages. */
export const PAGE_COUNT_INDEX = '[conversationId+messageCount]';
/** A conversation's unread blocks with their counts, read as keys to count its unread messages. */
export const UNREAD_COUNT_INDEX = '[conversationId+count]';
/** Every page newest first with its term filter, read as keys by search. */
export const SEARCH_FILTER_INDEX = '[lastSentAt+pageId+termFilter]';
/** One conversation's pages newest first with their term filters, for a search within it. */
export const CONVERSATION_SEARCH_FILTER_INDEX = '[conversationId+lastSentAt+pageId+termFilter]';

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
