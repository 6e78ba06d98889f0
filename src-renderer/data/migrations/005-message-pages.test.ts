import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyInboxBatch } from '../applyInboxBatch';
import { comparePositions } from '../chatRow';
import { CONVERSATION_SEARCH_FILTER_INDEX, MESSAGE_KEY_INDEX, PAGE_COUNT_INDEX, PAGE_ORDER_INDEX, SEARCH_FILTER_INDEX } from '../db';
import { SEALED_FIELD } from '../encryption/sealRecord';
import type { HistoryStore } from '../historyStore';
import { markConversationRead, runDirectly } from '../markConversationRead';
import { recordOfChatMessage } from '../messageRecords';
import { chunkIntoPages, PAGE_MESSAGES, PAGE_TEXT_CHARACTERS } from '../pages/pageLayout';
import { filterMayContain } from '../pages/termFilter';
import { getChat } from '../queries/chatList';
import { countMessages, countUnread, getMessage, listMessagesPage } from '../queries/conversationMessages';
import { searchMessages } from '../queries/searchMessages';
import { ALICE, BOB, CAROL, messageItem, rawText, readRawTables } from '../testing/historyTesting';
import { messagePagesMigration } from './005-message-pages';
import { historyMigrations } from './historyMigrations';
import { openUpgradedHistory, readStoredSchema, seedHistoryAtVersion } from './migrationHarness';
import { DAVE, options, hasher, COUNTS, CONVERSATIONS, BOB_UNREAD, LONG_TEXT, seeded, allSeeded, unreadAtFour, ids, bruteForce, readBackwards, readForwards, readCheckedPages } from '../testing/versionFourHistory';

describe('005-message-pages', () => {
  let store: HistoryStore;

  beforeAll(async () => {
    await seedHistoryAtVersion({
      ...options,
      version: 4,
      seed: async (db) => {
        await db.table('messages').bulkPut(
          allSeeded.map((message) => ({
            ...message,
            datedSearchTerms: hasher.termsForText(message.text).map((term) => [term, message.sentAt]),
          })),
        );
        await db.table('unreadMessages').bulkPut(
          [...unreadAtFour.values()].flat().map(({ conversationId, sentAt, senderAccountId, messageId }) => ({
            conversationId,
            sentAt,
            senderAccountId,
            messageId,
          })),
        );
        await db.table('chats').bulkPut(
          CONVERSATIONS.map((conversationId) => {
            const newest = seeded.get(conversationId)!.at(-1)!;
            return {
              conversationId,
              lastActivityAt: newest.sentAt,
              unreadCount: unreadAtFour.get(conversationId)!.length,
              lastMessage: {
                sentAt: newest.sentAt,
                senderAccountId: newest.senderAccountId,
                messageId: newest.messageId,
                direction: newest.direction,
                preview: newest.text.slice(0, 80),
                status: newest.status,
              },
              draft: '',
            };
          }),
        );
      },
    });
    store = await openUpgradedHistory(options);
  });
  afterAll(() => store.close());

  it('comes after every version before it', () => {
    const index = historyMigrations.indexOf(messagePagesMigration);
    expect(index).toBeGreaterThan(0);
    expect(messagePagesMigration.version).toBe(5);
    expect(historyMigrations.slice(0, index).every((migration) => migration.version < 5)).toBe(true);
    expect(historyMigrations.slice(index + 1).every((migration) => migration.version > 5)).toBe(true);
  });

  it('replaces the messages and unreadMessages tables with messagePages and unreadBlocks', async () => {
    const schema = await readStoredSchema(options.name);
    expect(schema.version).toBe(5);
    expect(schema.tables).toEqual({
      chats: ['conversationId', 'lastActivityAt'],
      contacts: ['accountId'],
      keyCheck: ['id'],
      messagePages: [
        'pageId',
        '[conversationId+firstSentAt+firstSenderAccountId+firstMessageId]',
        '[conversationId+lastSentAt+pageId+termFilter]',
        '[conversationId+messageCount]',
        '[lastSentAt+pageId+termFilter]',
        '*messageKeys',
      ],
      settings: ['name'],
      unreadBlocks: ['[conversationId+firstSentAt+firstSenderAccountId+firstMessageId]', '[conversationId+count]'],
    });
    // The indexes the queries read are the ones the upgrade made.
    for (const index of [PAGE_ORDER_INDEX, `*${MESSAGE_KEY_INDEX}`, PAGE_COUNT_INDEX, SEARCH_FILTER_INDEX, CONVERSATION_SEARCH_FILTER_INDEX]) {
      expect(schema.tables.messagePages).toContain(index);
    }
  });

  it('keeps every message once, in display order, each field as it was, read newest first', async () => {
    for (const conversationId of CONVERSATIONS) {
      expect(await readBackwards(store, conversationId, 37)).toEqual(seeded.get(conversationId));
    }
  });

  it('reads the same messages oldest first with after', async () => {
    for (const conversationId of CONVERSATIONS) {
      const expected = seeded.get(conversationId)!;
      expect(await readForwards(store, conversationId, expected[0]!, 41)).toEqual(expected);
      // The newest page without a bound is the conversation's newest messages.
      const newest = await listMessagesPage(store, { conversationId, limit: 25 });
      expect(newest).toEqual({ messages: expected.slice(-25), hasMore: expected.length > 25 });
    }
  });

  it('counts each conversation\'s messages', async () => {
    for (const conversationId of CONVERSATIONS) expect(await countMessages(store, conversationId)).toBe(COUNTS[conversationId]);
    expect(await countMessages(store, '00000000-0000-4000-8000-000000000000')).toBe(0);
  });

  it('finds messages by their key', async () => {
    const sample = allSeeded.filter((_, index) => index % 17 === 0);
    sample.push(seeded.get(BOB)!.find((message) => message.text === LONG_TEXT)!);
    for (const message of sample) expect(await getMessage(store, message.senderAccountId, message.messageId)).toEqual(message);
    expect(await getMessage(store, BOB, 'no-such-message')).toBeNull();
    const bobs = seeded.get(BOB)!.find((message) => message.senderAccountId === BOB)!;
    // The key is sender and id together: the same id from someone else is not the message.
    expect(await getMessage(store, CAROL, bobs.messageId)).toBeNull();
  });

  it('puts the messages into full pages of one conversation, the long message on a page of its own', async () => {
    const pages = await readCheckedPages(store);
    expect([...pages.keys()].sort()).toEqual([...CONVERSATIONS].sort());
    for (const conversationId of CONVERSATIONS) {
      const expected = seeded.get(conversationId)!;
      const stored = pages.get(conversationId)!;
      expect(stored.flatMap((page) => page.messages)).toEqual(expected);
      // Filled as the write path fills them.
      expect(stored.map((page) => page.messages.length)).toEqual(chunkIntoPages(expected).map((chunk) => chunk.length));
      for (const page of stored) {
        const characters = page.messages.reduce((total, message) => total + message.text.length, 0);
        expect(page.messages.length === 1 || characters <= PAGE_TEXT_CHARACTERS).toBe(true);
      }
    }
    expect(pages.get(BOB)!.length).toBeGreaterThanOrEqual(20);
    expect(pages.get(CAROL)!.length).toBeGreaterThanOrEqual(12);
    expect(pages.get(DAVE)!).toHaveLength(1);
    expect(LONG_TEXT.length).toBeGreaterThan(PAGE_TEXT_CHARACTERS);
    const longPage = pages.get(BOB)!.find((page) => page.messages.some((message) => message.text === LONG_TEXT))!;
    expect(longPage.messages).toHaveLength(1);
  });

  it('builds each page\'s filter from its messages\' version 4 search terms', async () => {
    for (const page of await store.db.messagePages.toArray()) {
      for (const message of page.messages) {
        for (const term of hasher.termsForText(message.text)) expect(filterMayContain(page.termFilter, term)).toBe(true);
      }
    }
  });

  it('lets search find the old messages by word and prefix, newest first, as a scan of the texts does', async () => {
    const queries = ['harbour', 'harb', 'HARBOUR lights', 'lighthouse', 'lighth keep', 'cafe', 'creme abou', 'brulee', 'brûlée WEATHER', 'n1234', 'zebracrossing', 'lorem ipsum'];
    for (const query of queries) {
      const expected = bruteForce(allSeeded, query);
      expect(expected.length, query).toBeGreaterThan(0);
      expect(ids(await searchMessages(store, { query, limit: 10_000 })), query).toEqual(expected);
      expect(ids(await searchMessages(store, { query, limit: 5 })), query).toEqual(expected.slice(0, 5));
      for (const conversationId of CONVERSATIONS) {
        const scoped = bruteForce(allSeeded, query, conversationId);
        expect(ids(await searchMessages(store, { query, conversationId, limit: 10_000 })), `${query} in ${conversationId}`).toEqual(scoped);
        expect(ids(await searchMessages(store, { query, conversationId, limit: 3 })), `${query} in ${conversationId}`).toEqual(scoped.slice(0, 3));
      }
    }
    expect(await searchMessages(store, { query: 'absentword', limit: 10 })).toEqual([]);
    // Found messages come whole, as they were.
    const [newestHarbour] = await searchMessages(store, { query: 'harbour', limit: 1 });
    const newestHarbourId = bruteForce(allSeeded, 'harbour')[0];
    expect(newestHarbour).toEqual(allSeeded.find((message) => message.messageId === newestHarbourId));
  });

  it('keeps unread counts', async () => {
    for (const conversationId of CONVERSATIONS) {
      expect(await countUnread(store, conversationId)).toBe(unreadAtFour.get(conversationId)!.length);
    }
    expect(unreadAtFour.get(BOB)!.length).toBe(BOB_UNREAD);
    for (const conversationId of CONVERSATIONS) {
      expect((await getChat(store, conversationId))?.unreadCount).toBe(unreadAtFour.get(conversationId)!.length);
    }
    expect(unreadAtFour.get(CAROL)!.length).toBeGreaterThan(10);
  });

  it('keeps the unread rows as blocks that show only their first position and count in clear', async () => {
    const raw = await readRawTables(options.name);
    expect(raw.unreadMessages).toBeUndefined();
    const blocks = raw.unreadBlocks as Array<Record<string, unknown>>;
    for (const block of blocks) {
      expect(Object.keys(block).sort()).toEqual(
        ['conversationId', 'count', 'firstMessageId', 'firstSenderAccountId', 'firstSentAt', SEALED_FIELD].sort(),
      );
    }
    for (const conversationId of CONVERSATIONS) {
      const theirs = blocks.filter((block) => block.conversationId === conversationId);
      expect(theirs.reduce((total, block) => total + Number(block.count), 0)).toBe(unreadAtFour.get(conversationId)!.length);
    }
    // Bob's 1,100 unread messages do not all go into one record.
    expect(blocks.filter((block) => block.conversationId === BOB).length).toBeGreaterThan(1);
  });

  it('places new messages among the old ones in order, and knows a duplicate of an old one', async () => {
    const bob = seeded.get(BOB)!;
    const oldIncoming = bob.find((message, index) => index > 500 && message.direction === 'in')!;
    const items = [
      // Before the oldest, on a shared time in the middle of a page, at a page's edge, and after the newest.
      messageItem(BOB, 'new-oldest', 'harbour before everything', bob[0]!.sentAt - 1),
      messageItem(BOB, 'new-middle', 'harbour in the middle', bob[250]!.sentAt),
      messageItem(ALICE, 'new-edge', 'harbour at the edge', bob[PAGE_MESSAGES]!.sentAt, BOB),
      messageItem(BOB, 'new-newest', 'harbour after everything', bob.at(-1)!.sentAt + 1_000),
      messageItem(CAROL, 'new-carol', 'lighthouse news', seeded.get(CAROL)![600]!.sentAt + 1),
      // The core handing over an old message again, even with another text, changes nothing.
      messageItem(BOB, oldIncoming.messageId, 'a different text', oldIncoming.sentAt),
    ];
    const result = await applyInboxBatch(store, items);
    expect(result).toMatchObject({ added: 5, duplicates: 1, refused: 0 });
    expect(await getMessage(store, BOB, oldIncoming.messageId)).toEqual(oldIncoming);

    const added = items
      .slice(0, -1)
      .flatMap((item) => (item.kind === 'message' ? [recordOfChatMessage(item.message)] : []));
    expect(added).toHaveLength(5);
    for (const message of added) expect(await getMessage(store, message.senderAccountId, message.messageId)).toEqual(message);
    const everything = [...allSeeded, ...added];
    for (const conversationId of [BOB, CAROL]) {
      const expected = everything.filter((message) => message.conversationId === conversationId).sort(comparePositions);
      expect(await readBackwards(store, conversationId, 60)).toEqual(expected);
      expect(await readForwards(store, conversationId, expected[0]!, 90)).toEqual(expected);
      expect(await countMessages(store, conversationId)).toBe(expected.length);
    }
    expect(ids((await listMessagesPage(store, { conversationId: BOB, limit: 1 })).messages)).toEqual(['new-newest']);
    await readCheckedPages(store);

    for (const query of ['harbour', 'lighthouse']) {
      expect(ids(await searchMessages(store, { query, limit: 10_000 })), query).toEqual(bruteForce(everything, query));
    }
    // Incoming ones arrive unread, among the old unread rows.
    expect(await countUnread(store, BOB)).toBe(BOB_UNREAD + 3);
    expect(await countUnread(store, CAROL)).toBe(unreadAtFour.get(CAROL)!.length + 1);
  });

  it('marks a conversation read, old unread messages and new alike', async () => {
    const read = await markConversationRead(runDirectly(store), CAROL);
    const expectedIds = [...ids(unreadAtFour.get(CAROL)!), 'new-carol'].sort();
    expect(read).toHaveLength(1);
    expect(read[0]!.senderAccountId).toBe(CAROL);
    expect([...read[0]!.messageIds].sort()).toEqual(expectedIds);
    expect(await countUnread(store, CAROL)).toBe(0);
    expect((await getChat(store, CAROL))?.unreadCount).toBe(0);
    expect(await countUnread(store, BOB)).toBe(BOB_UNREAD + 3);
    expect(await markConversationRead(runDirectly(store), CAROL)).toEqual([]);

    const bobRead = await markConversationRead(runDirectly(store), BOB, 400);
    expect(bobRead.map((entry) => entry.senderAccountId)).toEqual([BOB]);
    expect([...bobRead[0]!.messageIds].sort()).toEqual([...ids(unreadAtFour.get(BOB)!), 'new-oldest', 'new-middle', 'new-newest'].sort());
    expect(await countUnread(store, BOB)).toBe(0);
    expect((await getChat(store, BOB))?.unreadCount).toBe(0);
  });

  it('stores no text in clear, nor the search hashes version 4 kept in clear', async () => {
    const raw = await readRawTables(options.name);
    expect(raw.messages).toBeUndefined();
    const rows = raw.messagePages as Array<Record<string, unknown>>;
    expect(rows.length).toBeGreaterThan(30);
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(
        [
          'conversationId',
          'firstMessageId',
          'firstSenderAccountId',
          'firstSentAt',
          'lastSentAt',
          'messageCount',
          'messageKeys',
          'pageId',
          SEALED_FIELD,
          'termFilter',
        ].sort(),
      );
    }
    const text = rawText(raw).toLowerCase();
    for (const word of ['harbour', 'lighthouse', 'keeper', 'zebracrossing', 'lorem', 'ipsum', 'tomorrow', 'weather', 'crème', 'brûlée', 'datedsearchterms']) {
      expect(text.includes(word), word).toBe(false);
    }
    const rawWithCase = rawText(raw);
    for (const term of hasher.termsForText('harbour lighthouse tomorrow weather')) expect(rawWithCase.includes(term), term).toBe(false);
  });
});
