import type { HistoryStore } from '../historyStore';
import { historyMessageOf } from '../messageRecords';
import type { HistoryMessage } from '../records';
import { textMatchesWords } from '../search/searchTerms';
import {
  keysInEveryList,
  messagesInConversation,
  messagesWithTerm,
  windowStart,
  type PositionOrderedList,
} from './positionOrderedLists';

export type MessageSearchRequest = {
  query: string;
  /** Only this conversation's messages; every conversation without it. */
  conversationId?: string;
  /** Most results returned, newest first. */
  limit?: number;
};

const DEFAULT_LIMIT = 50;
/**
 * The most entries a window takes from the list that reaches back furthest. Windows start at
 * `limit` entries and double while too few of their candidates are hits (words that rarely
 * meet, a small conversation); this caps the keys one window holds.
 */
const MAX_WINDOW_SIZE = 8_192;

/**
 * Local full-text search, newest first. The query's words are hashed as message words were when
 * stored. Each term's index entries are ordered by time, so the search walks back from the
 * newest message a window of time at a time: it intersects the terms' (and the conversation's,
 * when scoped) message keys within the window without opening anything, opens only as many
 * candidates as results are still wanted, and confirms each against its text (which also drops
 * the rare hash collision). It stops when it has `limit` results: the cost follows the results
 * shown, not how many messages match. One read transaction, so index and records are one snapshot.
 */
export async function searchMessages(store: HistoryStore, request: MessageSearchRequest): Promise<HistoryMessage[]> {
  const { terms, words } = store.search.termsForQuery(request.query);
  const limit = Math.floor(request.limit ?? DEFAULT_LIMIT);
  if (terms.length === 0 || !(limit > 0)) return [];
  const { db } = store;
  const { conversationId } = request;
  const lists: PositionOrderedList[] = terms.map((term) => messagesWithTerm(db, term));
  if (conversationId !== undefined) lists.push(messagesInConversation(db, conversationId));

  return db.transaction('r', db.messages, async () => {
    const hits: HistoryMessage[] = [];
    let before: number | null = null;
    let size = Math.min(limit, MAX_WINDOW_SIZE);
    for (;;) {
      const from = await windowStart(lists, before, size);
      const candidates = await keysInEveryList(lists, from, before);
      // Newest first, and no more opened than results still wanted (plus any that fail to confirm).
      while (candidates.length > 0) {
        const records = await db.messages.bulkGet(candidates.splice(0, limit - hits.length));
        for (const record of records) {
          if (record === undefined) continue;
          if (conversationId !== undefined && record.conversationId !== conversationId) continue;
          if (textMatchesWords(record.text, words)) hits.push(historyMessageOf(record));
        }
        if (hits.length >= limit) return hits;
      }
      if (from === null) return hits;
      before = from;
      size = Math.min(size * 2, MAX_WINDOW_SIZE);
    }
  });
}
