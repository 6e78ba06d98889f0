import { emptyChat } from './chatRow';
import type { HistoryStore } from './historyStore';

/**
 * Keeps what is typed in a chat's composer (sealed with the rest of the chat row), so it
 * survives switching chats and restarting. An empty string clears it. Does not reorder the list.
 */
export async function saveDraft(store: HistoryStore, conversationId: string, draft: string): Promise<void> {
  const { db } = store;
  await db.transaction('rw', db.chats, async () => {
    const chat = (await db.chats.get(conversationId)) ?? emptyChat(conversationId, store.clock.now());
    if (chat.draft !== draft) await db.chats.put({ ...chat, draft });
  });
}
