import { Dexie } from 'dexie';
import { CONVERSATION_ORDER_INDEX } from '../db';
import type { HistoryStore } from '../historyStore';
import { historyMessageOf } from '../messageRecords';
import type { HistoryMessage, MessagePosition } from '../records';
import { unreadInConversation } from '../unreadMessages';

export type MessagePageRequest = {
  conversationId: string;
  limit: number;
  /** Messages shown before this one (older); without before or after: the newest page. */
  before?: MessagePosition;
  /** Messages shown after this one (newer). */
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

/**
 * One page of a conversation for a virtualised list. Pages are anchored on a message's exact
 * position, not on an offset, so messages arriving while the user scrolls neither repeat nor
 * disappear between pages.
 */
export async function listMessagesPage(store: HistoryStore, request: MessagePageRequest): Promise<MessagePage> {
  const { conversationId, limit } = request;
  const index = store.db.messages.where(CONVERSATION_ORDER_INDEX);
  const lower = request.after ? positionKey(conversationId, request.after) : [conversationId];
  const upper = request.before ? positionKey(conversationId, request.before) : [conversationId, Dexie.maxKey];
  const range = index.between(lower, upper, !request.after, !request.before);
  // Reading one more than asked tells whether there is more, without a count.
  const newerFirst = request.after === undefined;
  const records = await (newerFirst ? range.reverse() : range).limit(limit + 1).toArray();
  const page = records.slice(0, limit).map(historyMessageOf);
  return { messages: newerFirst ? page.reverse() : page, hasMore: records.length > limit };
}

export async function getMessage(
  store: HistoryStore,
  senderAccountId: string,
  messageId: string,
): Promise<HistoryMessage | null> {
  const record = await store.db.messages.get([senderAccountId, messageId]);
  return record ? historyMessageOf(record) : null;
}

/** Messages in a conversation: the virtualised list's length. Counts keys only, opens nothing. */
export async function countMessages(store: HistoryStore, conversationId: string): Promise<number> {
  return store.db.messages
    .where(CONVERSATION_ORDER_INDEX)
    .between([conversationId], [conversationId, Dexie.maxKey], true, true)
    .count();
}

/** Unread incoming messages in a conversation, counted from their rows (keys only, opens nothing). */
export async function countUnread(store: HistoryStore, conversationId: string): Promise<number> {
  return unreadInConversation(store, conversationId).count();
}
