import type { HistoryStore } from './historyStore';
import { countUnreadIn, unreadBlockKey, unreadBlockOf, unreadInConversation } from './unreadMessages';

/**
 * Marks messages of one conversation read because I read them on another of my devices (C5's
 * read_sync): they leave the conversation's unread blocks (a block losing some keeps the rest,
 * under the key of its new first) and the chat's unread count is what is left. No read receipt
 * follows: the device where I read them sent it. Messages not unread here change nothing.
 * Runs inside the caller's transaction over unreadBlocks and chats; answers how many it marked.
 */
export async function markReadElsewhere(store: HistoryStore, conversationId: string, messageIds: ReadonlySet<string>): Promise<number> {
  const { db } = store;
  let marked = 0;
  for (const block of await unreadInConversation(store, conversationId).toArray()) {
    // Unread messages are incoming ones, so their sender is the conversation's other party.
    const left = block.positions.filter((position) => !(position.senderAccountId === conversationId && messageIds.has(position.messageId)));
    if (left.length === block.positions.length) continue;
    marked += block.positions.length - left.length;
    await db.unreadBlocks.delete(unreadBlockKey(block));
    if (left.length > 0) await db.unreadBlocks.put(unreadBlockOf(conversationId, left));
  }
  if (marked > 0) {
    const chat = await db.chats.get(conversationId);
    if (chat) await db.chats.put({ ...chat, unreadCount: await countUnreadIn(store, conversationId) });
  }
  return marked;
}
