import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { applyInboxBatch } from '../applyInboxBatch';
import { countUnread, getMessage, listMessagesPage } from '../queries/conversationMessages';
import { ALICE, BOB, messageItem, readRawTables, testStorageKey, uniqueDatabaseName } from '../testing/historyTesting';
import { dropUnreadFlagMigration } from './003-drop-unread-flag';
import { historyMigrations } from './historyMigrations';
import { openUpgradedHistory, readStoredSchema, seedHistoryAtVersion } from './migrationHarness';

const T = 1_700_000_000_000;
const ids = (messages: Array<{ messageId: string }>) => messages.map((message) => message.messageId);
const harness = () => ({ name: uniqueDatabaseName('migration-003'), storageKey: testStorageKey(), accountId: ALICE });

describe('003-drop-unread-flag', () => {
  it('creates exactly this schema', async () => {
    // A released schema is never edited: if this fails, append a migration instead.
    const upToThis = historyMigrations.slice(0, historyMigrations.indexOf(dropUnreadFlagMigration) + 1);
    expect(upToThis.at(-1)).toBe(dropUnreadFlagMigration);
    const options = harness();
    (await openUpgradedHistory({ ...options, migrations: upToThis })).close();
    expect(await readStoredSchema(options.name)).toEqual({
      version: 3,
      tables: {
        chats: ['conversationId', 'lastActivityAt'],
        contacts: ['accountId'],
        keyCheck: ['id'],
        messages: ['[senderAccountId+messageId]', '[conversationId+sentAt+senderAccountId+messageId]', '*searchTerms'],
        settings: ['name'],
        unreadMessages: ['[conversationId+sentAt+senderAccountId+messageId]'],
      },
    });
  });

  it('upgrades a version 2 history: its messages and unread rows open as they were', async () => {
    const options = harness();
    const versionTwoMessage = {
      senderAccountId: BOB,
      messageId: 'b1',
      conversationId: BOB,
      direction: 'in',
      senderDeviceId: 1,
      text: 'written by version 2',
      sentAt: T,
      serverReceivedAt: T + 50,
      status: null,
      statusAt: null,
      searchTerms: [],
    };
    const unreadRow = { conversationId: BOB, sentAt: T, senderAccountId: BOB, messageId: 'b1' };
    await seedHistoryAtVersion({
      ...options,
      version: 2,
      seed: async (db) => {
        await db.table('messages').put(versionTwoMessage);
        await db.table('unreadMessages').put(unreadRow);
      },
    });

    // Version 3 itself: the record still opens (its seal survives the index change), the unread row stays.
    const atThree = await openUpgradedHistory({ ...options, migrations: historyMigrations.filter((migration) => migration.version <= 3) });
    try {
      expect(await atThree.db.table('messages').get([BOB, 'b1'])).toEqual(versionTwoMessage);
      expect(await atThree.db.table('unreadMessages').toArray()).toEqual([unreadRow]);
    } finally {
      atThree.close();
    }
    const rawAtThree = await readRawTables(options.name);
    expect(rawAtThree.messages).toHaveLength(1);
    expect(rawAtThree.messages?.every((row) => !Object.hasOwn(row as object, 'unread'))).toBe(true);

    // Then on to the latest version: the message and its unread state are still there.
    const store = await openUpgradedHistory(options);
    try {
      const { searchTerms: _searchTerms, ...message } = versionTwoMessage;
      expect(await getMessage(store, BOB, 'b1')).toEqual(message);
      expect(await countUnread(store, BOB)).toBe(1);
      // New messages no longer carry the flag at all, in clear or sealed.
      await applyInboxBatch(store, [messageItem(BOB, 'b2', 'written by version 3', T + 1)]);
      expect(await countUnread(store, BOB)).toBe(2);
      const added = await getMessage(store, BOB, 'b2');
      expect(added).toMatchObject({ text: 'written by version 3' });
      expect(Object.hasOwn(added!, 'unread')).toBe(false);
      expect(ids((await listMessagesPage(store, { conversationId: BOB, limit: 10 })).messages)).toEqual(['b1', 'b2']);
    } finally {
      store.close();
    }
    const raw = await readRawTables(options.name);
    const rows = Object.values(raw).flat();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => !Object.hasOwn(row as object, 'unread'))).toBe(true);
  });
});
