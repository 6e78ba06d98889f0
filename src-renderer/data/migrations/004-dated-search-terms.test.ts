import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyInboxBatch } from '../applyInboxBatch';
import { SEALED_FIELD } from '../encryption/sealRecord';
import { deriveHistoryKeys } from '../encryption/storageKeys';
import type { HistoryStore } from '../historyStore';
import { markConversationRead, runDirectly } from '../markConversationRead';
import { countUnread, getMessage } from '../queries/conversationMessages';
import { searchMessages } from '../queries/searchMessages';
import { createSearchTermHasher } from '../search/searchTerms';
import { ALICE, BOB, CAROL, messageItem, readRawTables, testStorageKey, uniqueDatabaseName } from '../testing/historyTesting';
import { datedSearchTermsMigration } from './004-dated-search-terms';
import { historyMigrations } from './historyMigrations';
import { openUpgradedHistory, readStoredSchema, seedHistoryAtVersion } from './migrationHarness';

const T = 1_700_000_000_000;
const MESSAGES = 2_000;
const storageKey = testStorageKey();
/** Upgraded to this version only: what it made of the raw tables and the schema. */
const atFour = {
  name: uniqueDatabaseName('migration-004'),
  storageKey,
  accountId: ALICE,
  migrations: historyMigrations.filter((migration) => migration.version <= 4),
};
/** The same version 1 history upgraded to the latest version: what the queries still find. */
const latest = { name: uniqueDatabaseName('migration-004-latest'), storageKey, accountId: ALICE };
const hasher = createSearchTermHasher(deriveHistoryKeys(storageKey).searchKey);

/**
 * A message as version 1 wrote it, undated search hashes and all. Two messages share each
 * sentAt; every 100th says "harbour".
 */
function versionOneMessage(number: number) {
  const conversationId = number % 3 === 0 ? CAROL : BOB;
  const sender = number % 2 === 0 ? ALICE : conversationId;
  const text = `${number % 100 === 0 ? 'Harbour lights' : 'plain words'} number${number}`;
  const sentAt = T + Math.floor(number / 2) * 1_000;
  return {
    senderAccountId: sender,
    messageId: `old-${number}`,
    conversationId,
    direction: sender === ALICE ? 'out' : 'in',
    senderDeviceId: 1,
    text,
    sentAt,
    serverReceivedAt: sentAt + 50,
    status: sender === ALICE ? 'read' : null,
    statusAt: null,
    // Every 10th incoming message was still unread.
    unread: sender !== ALICE && number % 10 === 1 ? 1 : 0,
    searchTerms: hasher.termsForText(text),
  };
}

const ids = (messages: Array<{ messageId: string }>) => messages.map((message) => message.messageId);

describe('004-dated-search-terms', () => {
  let store: HistoryStore;

  beforeAll(async () => {
    for (const options of [atFour, latest]) {
      await seedHistoryAtVersion({
        ...options,
        version: 1,
        seed: async (db) => {
          await db.table('messages').bulkPut(Array.from({ length: MESSAGES }, (_, number) => versionOneMessage(number)));
        },
      });
    }
    const started = performance.now();
    (await openUpgradedHistory(atFour)).close();
    const took = (performance.now() - started).toFixed(0);
    console.log(`history: upgrading ${MESSAGES.toLocaleString('en-US')} messages from version 1 to 4 took ${took} ms`);
    store = await openUpgradedHistory(latest);
  });
  afterAll(() => store.close());

  it('comes after every version before it', () => {
    const index = historyMigrations.indexOf(datedSearchTermsMigration);
    expect(datedSearchTermsMigration.version).toBe(4);
    expect(historyMigrations.slice(0, index).map((migration) => migration.version)).toEqual([1, 2, 3]);
    // Whatever comes later (if anything) has a greater version.
    expect(historyMigrations.slice(index + 1).every((migration) => migration.version > 4)).toBe(true);
  });

  it('replaces the undated search index with the dated one', async () => {
    const schema = await readStoredSchema(atFour.name);
    expect(schema.version).toBe(4);
    expect(schema.tables.messages).toEqual([
      '[senderAccountId+messageId]',
      '[conversationId+sentAt+senderAccountId+messageId]',
      '*datedSearchTerms',
    ]);
  });

  it('keeps no undated hashes nor version 1\'s unread flag, and dates each hash with its message', async () => {
    const rows = ((await readRawTables(atFour.name)).messages ?? []) as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(MESSAGES);
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(
        ['conversationId', 'datedSearchTerms', 'messageId', SEALED_FIELD, 'senderAccountId', 'sentAt'].sort(),
      );
      const { searchTerms, sentAt } = versionOneMessage(Number(String(row.messageId).slice('old-'.length)));
      expect(row.datedSearchTerms).toEqual(searchTerms.map((term) => [term, sentAt]));
    }
  });

  it('leaves everything else about a message as it was', async () => {
    const { searchTerms, unread: _unread, ...unchanged } = versionOneMessage(7);
    // As version 4 left it: its record opens with every field, the dated hashes beside them.
    const four = await openUpgradedHistory(atFour);
    try {
      expect(await four.db.table('messages').get([unchanged.senderAccountId, unchanged.messageId])).toEqual({
        ...unchanged,
        datedSearchTerms: searchTerms.map((term) => [term, unchanged.sentAt]),
      });
    } finally {
      four.close();
    }
    // And as the latest version shows it.
    expect(await getMessage(store, unchanged.senderAccountId, unchanged.messageId)).toEqual(unchanged);
  });

  it('keeps what was unread in version 1 unread, through versions 2 and 3', async () => {
    const expected = Array.from({ length: MESSAGES }, (_, number) => versionOneMessage(number)).filter((message) => message.unread === 1);
    expect(expected.length).toBeGreaterThan(0);
    const four = await openUpgradedHistory(atFour);
    try {
      expect((await four.db.table('unreadMessages').toArray()).map((row: { messageId: string }) => row.messageId).sort()).toEqual(
        ids(expected).sort(),
      );
    } finally {
      four.close();
    }
    // Still unread at the latest version: counted, and marked read exactly.
    for (const conversationId of [BOB, CAROL]) {
      const theirs = expected.filter((message) => message.conversationId === conversationId);
      expect(theirs.length).toBeGreaterThan(0);
      expect(await countUnread(store, conversationId)).toBe(theirs.length);
      const read = await markConversationRead(runDirectly(store), conversationId);
      expect(read.map((entry) => entry.senderAccountId)).toEqual([conversationId]);
      expect([...read[0]!.messageIds].sort()).toEqual(ids(theirs).sort());
      expect(await countUnread(store, conversationId)).toBe(0);
    }
  });

  // Every 100th message says "harbour": newest first, that is highest number first.
  const harbour = Array.from({ length: MESSAGES / 100 }, (_, index) => `old-${index * 100}`).reverse();

  it('lets search find the old messages, newest first', async () => {
    expect(ids(await searchMessages(store, { query: 'harbour', limit: MESSAGES }))).toEqual(harbour);
    expect(ids(await searchMessages(store, { query: 'harb lights', limit: 3 }))).toEqual(harbour.slice(0, 3));
    const carols = await searchMessages(store, { query: 'harbour', conversationId: CAROL, limit: MESSAGES });
    expect(ids(carols)).toEqual(harbour.filter((id) => versionOneMessage(Number(id.slice('old-'.length))).conversationId === CAROL));
    expect(carols.length).toBeGreaterThan(0);
  });

  it('finds new messages among the old', async () => {
    await applyInboxBatch(store, [messageItem(BOB, 'new', 'harbour again', T + MESSAGES * 1_000)]);
    expect(ids(await searchMessages(store, { query: 'harbour', limit: 2 }))).toEqual(['new', harbour[0]]);
  });
});
