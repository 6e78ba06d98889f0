import 'fake-indexeddb/auto';
import type { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import type { HistoryStore } from '../historyStore';
import { markConversationRead, runDirectly } from '../markConversationRead';
import { countAllUnread, getChat } from '../queries/chatList';
import { countUnread, getMessage } from '../queries/conversationMessages';
import { ALICE, BOB, CAROL, readRawTables, testStorageKey, uniqueDatabaseName } from '../testing/historyTesting';
import { initialMigration } from './001-initial';
import { unreadMessagesMigration } from './002-unread-messages';
import type { HistoryMigration } from './historyMigration';
import { historyMigrations } from './historyMigrations';
import { openUpgradedHistory, readStoredSchema, seedHistoryAtVersion } from './migrationHarness';

const T = 1_700_000_000_000;
const DAVE = '00000000-0000-4000-8000-0000000da7e0';
const BOB_UNREAD = 2_500;

/** A message as version 1 stored it: with the unread flag in the record. */
function versionOneMessage(sender: string, messageId: string, sentAt: number, unread: 0 | 1, conversationId = sender) {
  return {
    senderAccountId: sender,
    messageId,
    conversationId,
    direction: sender === ALICE ? 'out' : 'in',
    senderDeviceId: 1,
    text: `text of ${messageId}`,
    sentAt,
    serverReceivedAt: sentAt + 50,
    status: sender === ALICE ? 'sent' : null,
    statusAt: null,
    unread,
    searchTerms: [`hash-${messageId}`],
  };
}

function versionOneChat(conversationId: string, unreadCount: number) {
  return { conversationId, lastActivityAt: T, unreadCount, lastMessage: null, draft: '' };
}

const bobUnreadIds = Array.from({ length: BOB_UNREAD }, (_, index) => `b-unread-${String(index).padStart(4, '0')}`);

/** Bob: 2,500 unread and one read, plus my reply; Carol: one unread; Dave: only read ones. */
async function seedVersionOne(db: Dexie): Promise<void> {
  await db.table('messages').bulkPut([
    ...bobUnreadIds.map((messageId, index) => versionOneMessage(BOB, messageId, T + 100 + index, 1)),
    versionOneMessage(BOB, 'b-read', T, 0),
    versionOneMessage(ALICE, 'a-reply', T + 1, 0, BOB),
    versionOneMessage(CAROL, 'c-unread', T + 5, 1),
    versionOneMessage(DAVE, 'd-read-1', T + 6, 0),
    versionOneMessage(DAVE, 'd-read-2', T + 7, 0),
  ]);
  await db.table('chats').bulkPut([versionOneChat(BOB, BOB_UNREAD), versionOneChat(CAROL, 1), versionOneChat(DAVE, 0)]);
}

const options = (migrations: readonly HistoryMigration[] = [initialMigration, unreadMessagesMigration]) => ({
  name: uniqueDatabaseName('migration-002'),
  storageKey: testStorageKey(),
  accountId: ALICE,
  migrations,
});

async function withStore<T>(store: HistoryStore, check: (store: HistoryStore) => Promise<T>): Promise<T> {
  try {
    return await check(store);
  } finally {
    store.close();
  }
}

describe('002-unread-messages', () => {
  it('opens a version 1 history with unread messages as version 2 with the same unread state and counts', async () => {
    const harness = options();
    await seedHistoryAtVersion({ ...harness, version: 1, seed: seedVersionOne });
    const before = await readRawTables(harness.name);

    await withStore(await openUpgradedHistory(harness), async (store) => {
      // Version 2's own table, read as version 2 left it (later versions keep unread messages otherwise).
      type UnreadRow = { conversationId: string; sentAt: number; senderAccountId: string; messageId: string };
      const rows: UnreadRow[] = await store.db.table('unreadMessages').toArray();
      const unreadIn = (conversationId: string) => rows.filter((row) => row.conversationId === conversationId);
      expect(unreadIn(BOB)).toHaveLength(BOB_UNREAD);
      expect(unreadIn(CAROL)).toHaveLength(1);
      expect(unreadIn(DAVE)).toHaveLength(0);
      expect((await getChat(store, BOB))?.unreadCount).toBe(BOB_UNREAD);
      expect(await countAllUnread(store)).toBe(BOB_UNREAD + 1);
      expect(unreadIn(BOB).map((row) => row.messageId)).toEqual(bobUnreadIds);
      expect(rows.find((row) => row.conversationId === CAROL)).toEqual({ conversationId: CAROL, sentAt: T + 5, senderAccountId: CAROL, messageId: 'c-unread' });
    });
    expect(await readStoredSchema(harness.name)).toMatchObject({
      version: 2,
      tables: { unreadMessages: ['[conversationId+sentAt+senderAccountId+messageId]'] },
    });
    // The upgrade only adds rows: no message or chat was rewritten.
    const after = await readRawTables(harness.name);
    expect(after.messages).toEqual(before.messages);
    expect(after.chats).toEqual(before.chats);
  });

  it('upgraded to the latest version, marks exactly the messages version 1 had unread', async () => {
    const harness = options(historyMigrations);
    await seedHistoryAtVersion({ ...harness, version: 1, seed: seedVersionOne });
    await withStore(await openUpgradedHistory(harness), async (store) => {
      expect(await countUnread(store, BOB)).toBe(BOB_UNREAD);
      expect(await countUnread(store, CAROL)).toBe(1);
      expect(await countUnread(store, DAVE)).toBe(0);
      expect(await markConversationRead(runDirectly(store), BOB)).toEqual([{ senderAccountId: BOB, messageIds: bobUnreadIds }]);
      expect(await markConversationRead(runDirectly(store), CAROL)).toEqual([{ senderAccountId: CAROL, messageIds: ['c-unread'] }]);
      expect(await markConversationRead(runDirectly(store), DAVE)).toEqual([]);
      expect(await countAllUnread(store)).toBe(0);
      // A message version 1 wrote still opens, and its stale flag stays out of what the UI sees.
      const message = await getMessage(store, BOB, 'b-unread-0000');
      expect(message).toMatchObject({ text: 'text of b-unread-0000', direction: 'in' });
      expect(message).not.toHaveProperty('unread');
    });
  });
});
