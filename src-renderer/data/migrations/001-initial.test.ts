import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { SEALED_FIELD } from '../encryption/sealRecord';
import { ALICE, BOB, readRawTables, testStorageKey, uniqueDatabaseName } from '../testing/historyTesting';
import { initialMigration } from './001-initial';
import type { HistoryMigration } from './historyMigration';
import { historyMigrations } from './historyMigrations';
import { openUpgradedHistory, readStoredSchema, seedHistoryAtVersion } from './migrationHarness';

const harness = () => ({ name: uniqueDatabaseName('migration'), storageKey: testStorageKey(), accountId: ALICE });

describe('001-initial', () => {
  it('is the first version, and versions only ever grow', () => {
    expect(historyMigrations[0]).toBe(initialMigration);
    // Not necessarily consecutive: branches reserve their numbers, and Dexie needs only growth.
    historyMigrations.slice(1).forEach((migration, index) =>
      expect(migration.version).toBeGreaterThan(historyMigrations[index]?.version ?? Infinity),
    );
  });

  it('creates exactly the released schema', async () => {
    // A released schema is never edited: users' databases were built by it. If this fails,
    // append a migration instead of changing 001.
    const options = harness();
    const store = await openUpgradedHistory({ ...options, migrations: [initialMigration] });
    store.close();
    expect(await readStoredSchema(options.name)).toEqual({
      version: 1,
      tables: {
        chats: ['conversationId', 'lastActivityAt'],
        contacts: ['accountId'],
        keyCheck: ['id'],
        messages: [
          '[senderAccountId+messageId]',
          '[conversationId+sentAt+senderAccountId+messageId]',
          '[conversationId+unread]',
          '*searchTerms',
        ],
        settings: ['name'],
      },
    });
  });
});

describe('migration harness', () => {
  // A migration of the kind later versions will need: index a field that version 1 sealed.
  // Indexed fields are stored in clear, so the upgrade rewrites every contact.
  const indexContactsByAddedAt: HistoryMigration = {
    version: 2,
    stores: { contacts: 'accountId, addedAt' },
    upgrade: async (transaction) => {
      await transaction.table('contacts').toCollection().modify(() => undefined);
    },
  };

  it('upgrades real sealed data from the version before', async () => {
    const options = { ...harness(), migrations: [initialMigration, indexContactsByAddedAt] };
    await seedHistoryAtVersion({
      ...options,
      version: 1,
      seed: async (db) => {
        await db.table('contacts').bulkPut([
          { accountId: BOB, username: 'bob', displayName: null, addedAt: 20 },
          { accountId: ALICE, username: 'alice', displayName: null, addedAt: 10 },
        ]);
      },
    });
    const before = await readRawTables(options.name);
    expect(Object.keys(before.contacts?.[0] ?? {}).sort()).toEqual(['accountId', SEALED_FIELD]);

    const store = await openUpgradedHistory(options);
    try {
      const contacts = await store.db.contacts.orderBy('addedAt').toArray();
      expect(contacts.map((contact) => contact.username)).toEqual(['alice', 'bob']);
    } finally {
      store.close();
    }
    const after = await readRawTables(options.name);
    expect(Object.keys(after.contacts?.[0] ?? {}).sort()).toEqual(['accountId', 'addedAt', SEALED_FIELD]);
    expect((await readStoredSchema(options.name)).version).toBe(2);
  });

  it('opens rows an older version sealed even before they are rewritten', async () => {
    const options = { ...harness(), migrations: [initialMigration, { version: 2, stores: { contacts: 'accountId, addedAt' } }] };
    await seedHistoryAtVersion({
      ...options,
      version: 1,
      seed: async (db) => {
        await db.table('contacts').put({ accountId: BOB, username: 'bob', displayName: null, addedAt: 20 });
      },
    });
    const store = await openUpgradedHistory(options);
    try {
      expect((await store.db.contacts.get(BOB))?.username).toBe('bob');
    } finally {
      store.close();
    }
  });
});
