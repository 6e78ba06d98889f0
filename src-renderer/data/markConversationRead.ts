import type { UnreadMessageKey } from './db';
import type { HistoryStore } from './historyStore';
import { unreadInConversation } from './unreadMessages';

export type MessagesRead = {
  /** Whose messages they are: the account read receipts go to. */
  senderAccountId: string;
  messageIds: string[];
};

/**
 * Where markConversationRead runs each of its steps. The session passes its serial history
 * writer, so every step queues as a task of its own and writes queued meanwhile (an inbox
 * batch, a send) run between two steps instead of waiting for the whole conversation.
 */
export type HistoryTaskRunner = {
  run<T>(task: (store: HistoryStore) => Promise<T>): Promise<T>;
};

/** Runs each task straight away, for tests and tools that hold a store and no writer. */
export function runDirectly(store: HistoryStore): HistoryTaskRunner {
  return { run: (task) => task(store) };
}

/** Unread messages marked per transaction: bounds how long any other write waits behind one. */
export const MARK_READ_CHUNK = 2_000;

/**
 * Marks the conversation's unread incoming messages read, and returns them grouped by sender
 * so the caller can send read receipts for exactly those; a second call returns nothing.
 *
 * No message record is rewritten: marking read deletes the messages' rows in unreadMessages.
 * First one read takes the keys of the messages unread now; then each step deletes up to
 * `chunkSize` of those in its own transaction and sets the chat's unread count to what is left.
 * A message that arrives between steps is not among the keys taken, so it stays unread and is
 * counted, wherever its time puts it; a step reports only the rows it really deleted, so no
 * message is reported twice even if another pass runs over the same conversation.
 */
export async function markConversationRead(
  history: HistoryTaskRunner,
  conversationId: string,
  chunkSize: number = MARK_READ_CHUNK,
): Promise<MessagesRead[]> {
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new RangeError(`chunkSize must be a whole number above 0, not ${chunkSize}`);
  const unread = await history.run((store) => unreadInConversation(store, conversationId).primaryKeys());
  const bySender = new Map<string, string[]>();
  // At least one step, even with nothing unread, so a chat count that disagrees is set right.
  for (let start = 0; start === 0 || start < unread.length; start += chunkSize) {
    const chunk = unread.slice(start, start + chunkSize);
    const marked = await history.run((store) => markUnreadRead(store, conversationId, chunk));
    for (const [, , senderAccountId, messageId] of marked) {
      const ids = bySender.get(senderAccountId) ?? [];
      ids.push(messageId);
      bySender.set(senderAccountId, ids);
    }
  }
  return [...bySender].map(([senderAccountId, messageIds]) => ({ senderAccountId, messageIds }));
}

/**
 * One step, one transaction: deletes those of `keys` (sorted, one conversation's) still unread,
 * and sets the chat's unread count to the conversation's unread rows left. Returns the deleted keys.
 */
async function markUnreadRead(store: HistoryStore, conversationId: string, keys: readonly UnreadMessageKey[]): Promise<UnreadMessageKey[]> {
  const { db } = store;
  return db.transaction('rw', db.unreadMessages, db.chats, async () => {
    const first = keys[0];
    const last = keys[keys.length - 1];
    let marked: UnreadMessageKey[] = [];
    if (first !== undefined && last !== undefined) {
      const wanted = new Set(keys.map(keyText));
      const chunkRange = () => db.unreadMessages.where(':id').between(first, last, true, true);
      const present = await chunkRange().primaryKeys();
      marked = present.filter((key) => wanted.has(keyText(key)));
      // Nearly always nothing arrived inside the chunk's range: then one request deletes the
      // range, where deleting key by key costs a request each (most of the time, in Chromium).
      if (marked.length === present.length) await chunkRange().delete();
      else await db.unreadMessages.bulkDelete(marked);
    }
    const left = await unreadInConversation(store, conversationId).count();
    const chat = await db.chats.get(conversationId);
    if (chat !== undefined && chat.unreadCount !== left) await db.chats.put({ ...chat, unreadCount: left });
    return marked;
  });
}

/** A key as a string, for sets: JSON keeps the parts apart whatever characters they hold. */
function keyText(key: UnreadMessageKey): string {
  return JSON.stringify(key);
}
