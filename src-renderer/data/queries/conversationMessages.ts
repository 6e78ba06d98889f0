import { Dexie } from 'dexie';
import { comparePositions } from '../chatRow';
import { sumOfCounts } from '../countedKeys';
import { MESSAGE_KEY_INDEX, PAGE_COUNT_INDEX, PAGE_ORDER_INDEX } from '../db';
import type { HistoryStore } from '../historyStore';
import { keyString } from '../messageRecords';
import type { HistoryMessage, MessagePageRecord, MessagePosition } from '../records';
import { countUnreadIn } from '../unreadMessages';

export type MessagePageRequest = {
  conversationId: string;
  limit: number;
  /** Messages shown before this one (older); without before or after: the newest page. */
  before?: MessagePosition;
  /** Messages shown after this one (newer); `before` is not read when this is given. */
  after?: MessagePosition;
};

export type MessagePage = {
  /** In display order, oldest first. */
  messages: HistoryMessage[];
  /** Whether more exist beyond this page in the direction it was read. */
  hasMore: boolean;
};

const positionKey = (conversationId: string, position: MessagePosition) => [
  conversationId,
  position.sentAt,
  position.senderAccountId,
  position.messageId,
];

/** Pages read per request while a page of messages is filled: most pages hold PAGE_MESSAGES. */
const PAGES_PER_READ = 2;

/**
 * One page of a conversation for a virtualised list. Pages are anchored on a message's exact
 * position, not on an offset, so messages arriving while the user scrolls neither repeat nor
 * disappear between pages. Reads the stored pages (pages/pageLayout.ts) that hold them, a
 * couple at a time: the newest messages of a conversation are one index read of one record.
 */
export async function listMessagesPage(store: HistoryStore, request: MessagePageRequest): Promise<MessagePage> {
  const { conversationId, limit } = request;
  const { db } = store;
  return db.transaction('r', db.messagePages, async () => {
    const index = db.messagePages.where(PAGE_ORDER_INDEX);
    const wanted = limit + 1;
    if (request.after === undefined) {
      // Newest first: pages starting before the bound, then their messages before it.
      const before = request.before;
      let upper: unknown[] = before ? positionKey(conversationId, before) : [conversationId, Dexie.maxKey];
      const newestFirst: HistoryMessage[] = [];
      for (;;) {
        const pages = await index.between([conversationId], upper, true, false).reverse().limit(PAGES_PER_READ).toArray();
        for (const page of pages) {
          for (let position = page.messages.length - 1; position >= 0; position -= 1) {
            const message = page.messages[position]!;
            if (before === undefined || comparePositions(message, before) < 0) newestFirst.push(message);
          }
        }
        const oldest = pages[pages.length - 1];
        if (newestFirst.length >= wanted || pages.length < PAGES_PER_READ || oldest === undefined) break;
        upper = [conversationId, oldest.firstSentAt, oldest.firstSenderAccountId, oldest.firstMessageId];
      }
      return { messages: newestFirst.slice(0, limit).reverse(), hasMore: newestFirst.length > limit };
    }
    // Oldest first after the bound: the page it falls in, then the pages after it.
    const after = request.after;
    const floor = await index.between([conversationId], positionKey(conversationId, after), true, true).reverse().limit(1).toArray();
    const oldestFirst: HistoryMessage[] = [];
    const take = (pages: readonly MessagePageRecord[]) => {
      for (const page of pages) for (const message of page.messages) if (comparePositions(message, after) > 0) oldestFirst.push(message);
    };
    take(floor);
    let lower: unknown[] = positionKey(conversationId, after);
    while (oldestFirst.length < wanted) {
      const pages = await index.between(lower, [conversationId, Dexie.maxKey], false, true).limit(PAGES_PER_READ).toArray();
      take(pages);
      const newest = pages[pages.length - 1];
      if (pages.length < PAGES_PER_READ || newest === undefined) break;
      lower = [conversationId, newest.firstSentAt, newest.firstSenderAccountId, newest.firstMessageId];
    }
    return { messages: oldestFirst.slice(0, limit), hasMore: oldestFirst.length > limit };
  });
}

export async function getMessage(
  store: HistoryStore,
  senderAccountId: string,
  messageId: string,
): Promise<HistoryMessage | null> {
  const key = keyString([senderAccountId, messageId]);
  const page = await store.db.messagePages.where(MESSAGE_KEY_INDEX).equals(key).first();
  return page?.messages.find((message) => message.senderAccountId === senderAccountId && message.messageId === messageId) ?? null;
}

/** Messages in a conversation: the virtualised list's length. Reads its pages' counts as index keys, opens nothing. */
export function countMessages(store: HistoryStore, conversationId: string): Promise<number> {
  return sumOfCounts(store.db.messagePages, PAGE_COUNT_INDEX, conversationId);
}

/** Unread incoming messages in a conversation, counted from their blocks' keys (opens nothing). */
export async function countUnread(store: HistoryStore, conversationId: string): Promise<number> {
  return countUnreadIn(store, conversationId);
}
