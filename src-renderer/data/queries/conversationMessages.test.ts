import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { applyInboxBatch } from '../applyInboxBatch';
import type { HistoryStore } from '../historyStore';
import { markConversationRead, runDirectly } from '../markConversationRead';
import { BOB, CAROL, messageItem, openTestStore } from '../testing/historyTesting';
import { listChats } from './chatList';
import { countMessages, countUnread, listMessagesPage } from './conversationMessages';

const T = 1_700_000_000_000;

describe('conversation queries', () => {
  let store: HistoryStore | undefined;
  afterEach(() => store?.close());

  it('pages back through a conversation without gaps or repeats, even with equal times', async () => {
    store = await openTestStore();
    // 250 messages, three to each millisecond, handed over out of order.
    const items = Array.from({ length: 250 }, (_, index) => messageItem(BOB, `m${String(index).padStart(3, '0')}`, `text ${index}`, T + Math.floor(index / 3)));
    await applyInboxBatch(store, [...items].reverse());
    await applyInboxBatch(store, [messageItem(CAROL, 'other', 'not in this conversation', T + 5)]);

    const seen: string[] = [];
    let page = await listMessagesPage(store, { conversationId: BOB, limit: 40 });
    seen.unshift(...page.messages.map((message) => message.messageId));
    while (page.hasMore) {
      const oldest = page.messages[0];
      if (oldest === undefined) break;
      page = await listMessagesPage(store, { conversationId: BOB, limit: 40, before: oldest });
      seen.unshift(...page.messages.map((message) => message.messageId));
    }
    expect(seen).toEqual(items.map((item) => (item.kind === 'message' ? item.message.messageId : '')));
  });

  it('reads forward from a message, as when jumping to a search result', async () => {
    store = await openTestStore();
    await applyInboxBatch(store, Array.from({ length: 10 }, (_, index) => messageItem(BOB, `m${index}`, `text ${index}`, T + index)));
    const middle = (await listMessagesPage(store, { conversationId: BOB, limit: 5 })).messages[0];
    expect(middle?.messageId).toBe('m5');
    if (middle === undefined) return;
    const newer = await listMessagesPage(store, { conversationId: BOB, limit: 3, after: middle });
    expect(newer.messages.map((message) => message.messageId)).toEqual(['m6', 'm7', 'm8']);
    expect(newer.hasMore).toBe(true);
    const rest = await listMessagesPage(store, { conversationId: BOB, limit: 3, after: newer.messages[2] ?? middle });
    expect(rest).toMatchObject({ hasMore: false });
    expect(rest.messages.map((message) => message.messageId)).toEqual(['m9']);
  });

  it('counts messages and unread ones; marking read returns what to send receipts for, once', async () => {
    store = await openTestStore();
    await applyInboxBatch(store, [
      messageItem(BOB, 'b1', 'one', T),
      messageItem(BOB, 'b2', 'two', T + 1),
      messageItem(CAROL, 'c1', 'three', T + 2),
    ]);
    expect(await countMessages(store, BOB)).toBe(2);
    expect(await countMessages(store, CAROL)).toBe(1);
    expect(await countUnread(store, BOB)).toBe(2);

    expect(await markConversationRead(runDirectly(store), BOB)).toEqual([{ senderAccountId: BOB, messageIds: ['b1', 'b2'] }]);
    expect(await markConversationRead(runDirectly(store), BOB)).toEqual([]);
    expect(await countUnread(store, BOB)).toBe(0);
    expect(await countUnread(store, CAROL)).toBe(1);
    const chats = await listChats(store);
    expect(chats.find((chat) => chat.conversationId === BOB)?.unreadCount).toBe(0);
    expect(chats.find((chat) => chat.conversationId === CAROL)?.unreadCount).toBe(1);
  });

  it('gives an empty page for a conversation with no messages', async () => {
    store = await openTestStore();
    expect(await listMessagesPage(store, { conversationId: BOB, limit: 10 })).toEqual({ messages: [], hasMore: false });
    expect(await countMessages(store, BOB)).toBe(0);
  });
});
