import { Dexie } from 'dexie';
import { CONVERSATION_SEARCH_FILTER_INDEX } from '../db';
import type { HistoryStore } from '../historyStore';

/**
 * The sentAt of each conversation's newest stored message (a conversation with none is left
 * out): the greatest lastSentAt of its pages, read as one index key per conversation, so no page
 * is opened. Issued all at once; inside a transaction on messagePages, it reads that transaction's view.
 */
export async function newestSentAtOf(store: HistoryStore, conversationIds: Iterable<string>): Promise<Map<string, number>> {
  const wanted = [...new Set(conversationIds)];
  const keys = await Promise.all(
    wanted.map((conversationId) =>
      store.db.messagePages
        .where(CONVERSATION_SEARCH_FILTER_INDEX)
        .between([conversationId, Dexie.minKey], [conversationId, Dexie.maxKey], true, true)
        .reverse()
        .limit(1)
        .keys(),
    ),
  );
  const newest = new Map<string, number>();
  wanted.forEach((conversationId, position) => {
    const key = keys[position]?.[0];
    if (Array.isArray(key) && typeof key[1] === 'number') newest.set(conversationId, key[1]);
  });
  return newest;
}
