import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { createHistoryDatabase } from './db';
import { SEALED_FIELD } from './encryption/sealRecord';
import { deriveHistoryKeys } from './encryption/storageKeys';
import { SealedRecordError, WrongStorageKeyError } from './historyErrors';
import type { HistoryStore } from './historyStore';
import type { ChatRecord, ContactRecord, MessageRecord, SettingRecord } from './records';
import { ALICE, BOB, openTestStore, rawText, readRawTables, testStorageKey, uniqueDatabaseName } from './testing/historyTesting';

const message: MessageRecord = {
  senderAccountId: BOB,
  messageId: 'm-1',
  conversationId: BOB,
  direction: 'in',
  senderDeviceId: 2,
  text: 'Meet me at the lighthouse',
  sentAt: 1_700_000_000_000,
  serverReceivedAt: 1_700_000_000_100,
  status: null,
  statusAt: null,
  datedSearchTerms: [
    ['aaaaaaaaaaaa', 1_700_000_000_000],
    ['bbbbbbbbbbbb', 1_700_000_000_000],
  ],
};
const chat: ChatRecord = {
  conversationId: BOB,
  lastActivityAt: 1_700_000_000_000,
  unreadCount: 1,
  lastMessage: { ...message, preview: 'Meet me at the lighthouse', status: null },
  draft: 'half-typed secret reply',
};
const contact: ContactRecord = { accountId: BOB, username: 'bobbington', displayName: 'Bob B.', addedAt: 5 };
const setting: SettingRecord = { name: 'theme', value: { mode: 'dark', key: new Uint8Array([1, 2, 3]) } };

describe('encryption middleware', () => {
  let store: HistoryStore | undefined;
  afterEach(() => store?.close());

  it('round-trips every record kind', async () => {
    store = await openTestStore();
    const { db } = store;
    await db.messages.put(message);
    await db.chats.put(chat);
    await db.contacts.put(contact);
    await db.settings.put(setting);
    expect(await db.messages.get([BOB, 'm-1'])).toEqual(message);
    expect(await db.chats.get(BOB)).toEqual(chat);
    expect(await db.contacts.get(BOB)).toEqual(contact);
    expect(await db.settings.get('theme')).toEqual(setting);
    // Reads through indexes, cursors and modify all open records too.
    expect(await db.messages.where('datedSearchTerms').equals(['aaaaaaaaaaaa', 1_700_000_000_000]).toArray()).toEqual([message]);
    expect(await db.chats.orderBy('lastActivityAt').first()).toEqual(chat);
    await db.messages.where('[conversationId+sentAt+senderAccountId+messageId]').between([BOB], [BOB, Dexie.maxKey]).modify({ senderDeviceId: 3 });
    expect(await db.messages.get([BOB, 'm-1'])).toEqual({ ...message, senderDeviceId: 3 });
    const each: MessageRecord[] = [];
    await db.messages.each((record) => each.push(record));
    expect(each).toEqual([{ ...message, senderDeviceId: 3 }]);
    const unread = { conversationId: BOB, sentAt: message.sentAt, senderAccountId: BOB, messageId: 'm-1' };
    await db.unreadMessages.put(unread);
    expect(await db.unreadMessages.toArray()).toEqual([unread]);
  });

  it('stores only index fields in clear: no text, username, preview or draft', async () => {
    const name = uniqueDatabaseName('raw');
    store = await openTestStore({ name });
    await store.db.messages.put(message);
    await store.db.chats.put(chat);
    await store.db.contacts.put(contact);
    await store.db.settings.put(setting);
    await store.db.unreadMessages.put({ conversationId: BOB, sentAt: message.sentAt, senderAccountId: BOB, messageId: 'm-1' });
    store.close();
    const tables = await readRawTables(name);
    const text = rawText(tables);
    for (const secret of ['lighthouse', 'bobbington', 'Bob B.', 'half-typed', 'dark', '"direction"', '"in"']) {
      expect(text.includes(secret), secret).toBe(false);
    }
    expect(Object.keys(tables.messages?.[0] ?? {}).sort()).toEqual(
      ['conversationId', 'datedSearchTerms', 'messageId', SEALED_FIELD, 'senderAccountId', 'sentAt'].sort(),
    );
    expect(Object.keys(tables.chats?.[0] ?? {}).sort()).toEqual(['conversationId', 'lastActivityAt', SEALED_FIELD].sort());
    expect(Object.keys(tables.contacts?.[0] ?? {}).sort()).toEqual(['accountId', SEALED_FIELD].sort());
    // An unread row holds the message's position (as the messages' index does) and nothing else.
    expect(Object.keys(tables.unreadMessages?.[0] ?? {}).sort()).toEqual(
      ['conversationId', 'messageId', SEALED_FIELD, 'senderAccountId', 'sentAt'].sort(),
    );
  });

  it('refuses a wrong key at open with a typed error', async () => {
    const name = uniqueDatabaseName('wrong-key');
    store = await openTestStore({ name });
    await store.db.messages.put(message);
    store.close();
    await expect(openTestStore({ name, storageKey: testStorageKey(2) })).rejects.toBeInstanceOf(WrongStorageKeyError);
    store = await openTestStore({ name });
    expect(await store.db.messages.get([BOB, 'm-1'])).toEqual(message);
  });

  it('never opens a record under another key, even past the key check', async () => {
    const name = uniqueDatabaseName('other-key');
    store = await openTestStore({ name });
    await store.db.messages.put(message);
    store.close();
    const other = createHistoryDatabase({ name, recordKey: deriveHistoryKeys(testStorageKey(3)).recordKey });
    await other.open();
    try {
      await expect(other.messages.get([BOB, 'm-1'])).rejects.toBeInstanceOf(SealedRecordError);
      await expect(other.messages.toArray()).rejects.toBeInstanceOf(SealedRecordError);
    } finally {
      other.close();
    }
  });

  it('refuses a storage key of the wrong length', async () => {
    await expect(openTestStore({ storageKey: new Uint8Array(16) })).rejects.toThrow(/32 bytes/);
  });

  it('never returns a record whose clear fields were altered on disk', async () => {
    const name = uniqueDatabaseName('tamper');
    store = await openTestStore({ name });
    await store.db.messages.put(message);
    store.close();
    // Move the message into another conversation behind the store's back.
    const raw = new Dexie(name);
    await raw.open();
    await raw.table('messages').toCollection().modify({ conversationId: ALICE });
    raw.close();
    store = await openTestStore({ name });
    const error = await store.db.messages.get([BOB, 'm-1']).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SealedRecordError);
    expect(String(error)).not.toContain('lighthouse');
  });

  it('refuses a row written without the middleware', async () => {
    const name = uniqueDatabaseName('unsealed');
    store = await openTestStore({ name });
    store.close();
    const raw = new Dexie(name);
    await raw.open();
    await raw.table('contacts').put({ accountId: BOB, username: 'planted' });
    raw.close();
    store = await openTestStore({ name });
    await expect(store.db.contacts.get(BOB)).rejects.toBeInstanceOf(SealedRecordError);
  });
});
