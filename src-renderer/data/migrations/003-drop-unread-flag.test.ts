import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { applyInboxBatch } from '../applyInboxBatch';
import { countUnread, getMessage } from '../queries/conversationMessages';
import { ALICE, BOB, messageItem, readRawTables, testStorageKey, uniqueDatabaseName } from '../testing/historyTesting';
import { dropUnreadFlagMigration } from './003-drop-unread-flag';
import { historyMigrations } from './historyMigrations';
import { openUpgradedHistory, readStoredSchema, seedHistoryAtVersion } from './migrationHarness';

const T = 1_700_000_000_000;
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
    await seedHistoryAtVersion({
      ...options,
      version: 2,
      seed: async (db) => {
        await db.table('messages').put({
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
        });
        await db.table('unreadMessages').put({ conversationId: BOB, sentAt: T, senderAccountId: BOB, messageId: 'b1' });
      },
    });
    const store = await openUpgradedHistory(options);
    try {
      expect(await getMessage(store, BOB, 'b1')).toMatchObject({ text: 'written by version 2' });
      expect(await countUnread(store, BOB)).toBe(1);
      // New messages no longer carry the flag at all, in clear or sealed.
      await applyInboxBatch(store, [messageItem(BOB, 'b2', 'written by version 3', T + 1)]);
      expect(await countUnread(store, BOB)).toBe(2);
    } finally {
      store.close();
    }
    const raw = await readRawTables(options.name);
    expect(raw.messages?.every((row) => !Object.hasOwn(row as object, 'unread'))).toBe(true);
  });
});
