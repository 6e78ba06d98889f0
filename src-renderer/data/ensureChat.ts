import { emptyChat } from './chatRow';
import type { HistoryStore } from './historyStore';

/**
 * Makes sure a chat row exists for a conversation, so a chat started with someone just found
 * shows in the chat list before the first message. An existing row is left as it is.
 */
export async function ensureChat(store: HistoryStore, conversationId: string): Promise<void> {
  const { db } = store;
  await db.transaction('rw', db.chats, async () => {
    if ((await db.chats.get(conversationId)) === undefined) {
      await db.chats.add(emptyChat(conversationId, store.clock.now()));
    }
  });
}
