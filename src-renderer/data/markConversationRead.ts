import { UNREAD_INDEX } from './db';
import type { HistoryStore } from './historyStore';

export type MessagesRead = {
  /** Whose messages they are: the account read receipts go to. */
  senderAccountId: string;
  messageIds: string[];
};

/**
 * Marks every unread incoming message of a conversation as read and zeroes its chat's unread
 * count, in one transaction. Returns the messages it marked, grouped by sender, so the caller
 * can send read receipts for exactly those; a second call returns nothing.
 */
export async function markConversationRead(store: HistoryStore, conversationId: string): Promise<MessagesRead[]> {
  const { db } = store;
  return db.transaction('rw', db.messages, db.chats, async () => {
    const unread = await db.messages.where(UNREAD_INDEX).equals([conversationId, 1]).toArray();
    const chat = await db.chats.get(conversationId);
    if (chat !== undefined && chat.unreadCount !== 0) await db.chats.put({ ...chat, unreadCount: 0 });
    if (unread.length === 0) return [];
    await db.messages.bulkPut(unread.map((record) => ({ ...record, unread: 0 as const })));
    const bySender = new Map<string, string[]>();
    for (const record of unread) {
      const ids = bySender.get(record.senderAccountId) ?? [];
      ids.push(record.messageId);
      bySender.set(record.senderAccountId, ids);
    }
    return [...bySender].map(([senderAccountId, messageIds]) => ({ senderAccountId, messageIds }));
  });
}
