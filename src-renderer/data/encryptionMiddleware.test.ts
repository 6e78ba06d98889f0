import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { createHistoryDatabase } from './db';
import { SEALED_FIELD } from './encryption/sealRecord';
import { deriveHistoryKeys } from './encryption/storageKeys';
import { SealedRecordError, WrongStorageKeyError } from './historyErrors';
import type { HistoryStore } from './historyStore';
import { pageRecordOf } from './pages/pageLayout';
import { unreadBlockOf } from './unreadMessages';
import type { ChatRecord, ContactRecord, MessagePageRecord, MessageRecord, SettingRecord } from './records';
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
};
const page: MessagePageRecord = pageRecordOf('page-1', [message], () => ['aaaaaaaaaaaa', 'bbbbbbbbbbbb']);
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
    await db.messagePages.put(page);
    await db.chats.put(chat);
    await db.contacts.put(contact);
    await db.settings.put(setting);
    expect(await db.messagePages.get('page-1')).toEqual(page);
    expect(await db.chats.get(BOB)).toEqual(chat);
    expect(await db.contacts.get(BOB)).toEqual(contact);
    expect(await db.settings.get('theme')).toEqual(setting);
    // Reads through indexes, cursors and modify all open records too.
    expect(await db.messagePages.where('messageKeys').equals(JSON.stringify([BOB, 'm-1'])).toArray()).toEqual([page]);
    expect(await db.chats.orderBy('lastActivityAt').first()).toEqual(chat);
    const moved = [{ ...message, senderDeviceId: 3 }];
    await db.messagePages
      .where('[conversationId+firstSentAt+firstSenderAccountId+firstMessageId]')
      .between([BOB], [BOB, Dexie.maxKey])
      .modify({ messages: moved });
    expect(await db.messagePages.get('page-1')).toEqual({ ...page, messages: moved });
    const each: MessagePageRecord[] = [];
    await db.messagePages.each((record) => each.push(record));
    expect(each).toEqual([{ ...page, messages: moved }]);
    const unread = unreadBlockOf(BOB, [{ sentAt: message.sentAt, senderAccountId: BOB, messageId: 'm-1' }]);
    await db.unreadBlocks.put(unread);
    expect(await db.unreadBlocks.toArray()).toEqual([unread]);
  });

  it('stores only index fields in clear: no text, username, preview or draft', async () => {
    const name = uniqueDatabaseName('raw');
    store = await openTestStore({ name });
    await store.db.messagePages.put(page);
    await store.db.chats.put(chat);
    await store.db.contacts.put(contact);
    await store.db.settings.put(setting);
    await store.db.unreadBlocks.put(
      unreadBlockOf(BOB, [
        { sentAt: message.sentAt, senderAccountId: BOB, messageId: 'm-1' },
        { sentAt: message.sentAt + 1, senderAccountId: BOB, messageId: 'unread-second' },
      ]),
    );
    store.close();
    const tables = await readRawTables(name);
    const text = rawText(tables);
    for (const secret of ['lighthouse', 'bobbington', 'Bob B.', 'half-typed', 'dark', '"direction"', '"in"']) {
      expect(text.includes(secret), secret).toBe(false);
    }
    // A page shows its ids, times, count and term filter, as the indexes need; its messages are sealed.
    expect(Object.keys(tables.messagePages?.[0] ?? {}).sort()).toEqual(
      [
        'pageId',
        'conversationId',
        'firstSentAt',
        'firstSenderAccountId',
        'firstMessageId',
        'lastSentAt',
        'messageCount',
        'messageKeys',
        'termFilter',
        SEALED_FIELD,
      ].sort(),
    );
    expect(Object.keys(tables.chats?.[0] ?? {}).sort()).toEqual(['conversationId', 'lastActivityAt', SEALED_FIELD].sort());
    expect(Object.keys(tables.contacts?.[0] ?? {}).sort()).toEqual(['accountId', SEALED_FIELD].sort());
    // An unread block shows its key (its first message's position, as the pages' index does) and
    // its count; which messages it holds is sealed.
    expect(Object.keys(tables.unreadBlocks?.[0] ?? {}).sort()).toEqual(
      ['conversationId', 'firstSentAt', 'firstSenderAccountId', 'firstMessageId', 'count', SEALED_FIELD].sort(),
    );
    expect(text.includes('unread-second')).toBe(false);
  });

  it('refuses a wrong key at open with a typed error', async () => {
    const name = uniqueDatabaseName('wrong-key');
    store = await openTestStore({ name });
    await store.db.messagePages.put(page);
    store.close();
    await expect(openTestStore({ name, storageKey: testStorageKey(2) })).rejects.toBeInstanceOf(WrongStorageKeyError);
    store = await openTestStore({ name });
    expect(await store.db.messagePages.get('page-1')).toEqual(page);
  });

  it('never opens a record under another key, even past the key check', async () => {
    const name = uniqueDatabaseName('other-key');
    store = await openTestStore({ name });
    await store.db.messagePages.put(page);
    store.close();
    const other = createHistoryDatabase({ name, recordKey: deriveHistoryKeys(testStorageKey(3)).recordKey });
    await other.open();
    try {
      await expect(other.messagePages.get('page-1')).rejects.toBeInstanceOf(SealedRecordError);
      await expect(other.messagePages.toArray()).rejects.toBeInstanceOf(SealedRecordError);
    } finally {
      other.close();
    }
  });

  it('refuses a storage key of the wrong length', async () => {
    await expect(openTestStore({ storageKey: new Uint8Array(16) })).rejects.toThrow(/32 bytes/);
  });

  it.each([
    ['moved to another conversation', { conversationId: ALICE }],
    ['given another term filter', { termFilter: new Uint8Array(page.termFilter.length).fill(255) }],
  ])('never returns a record whose clear fields were altered on disk: a page %s', async (_what, change) => {
    const name = uniqueDatabaseName('tamper');
    store = await openTestStore({ name });
    await store.db.messagePages.put(page);
    store.close();
    const raw = new Dexie(name);
    await raw.open();
    await raw.table('messagePages').toCollection().modify(change);
    raw.close();
    store = await openTestStore({ name });
    const error = await store.db.messagePages.get('page-1').catch((caught: unknown) => caught);
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
