import { Dexie } from 'dexie';
import { comparePositions } from '../chatRow';
import { SEARCH_INDEX, type MessageKey } from '../db';
import type { HistoryStore } from '../historyStore';
import { historyMessageOf, keyString } from '../messageRecords';
import type { HistoryMessage } from '../records';
import { textMatchesWords } from '../search/searchTerms';

export type MessageSearchRequest = {
  query: string;
  /** Only this conversation's messages; every conversation without it. */
  conversationId?: string;
  /** Most results returned, newest first. */
  limit?: number;
};

const DEFAULT_LIMIT = 50;
/** Candidates opened per read: bounds memory when a common word matches most of the history. */
const CANDIDATE_CHUNK = 500;

/**
 * Local full-text search. The query's words are hashed as message words were when stored; the
 * messages holding every hash are intersected by key in the multi-entry index, then opened,
 * kept if in scope, and confirmed against their text (which also drops the rare hash
 * collision). Newest first. One read transaction, so index and records are one snapshot.
 */
export async function searchMessages(store: HistoryStore, request: MessageSearchRequest): Promise<HistoryMessage[]> {
  const { terms, words } = store.search.termsForQuery(request.query);
  if (terms.length === 0) return [];
  const { db } = store;
  return db.transaction('r', db.messages, async () => {
    const candidates = await messagesWithEveryTerm(store, terms);
    const hits: HistoryMessage[] = [];
    for (let start = 0; start < candidates.length; start += CANDIDATE_CHUNK) {
      for (const record of await db.messages.bulkGet(candidates.slice(start, start + CANDIDATE_CHUNK))) {
        if (record === undefined) continue;
        if (request.conversationId !== undefined && record.conversationId !== request.conversationId) continue;
        if (textMatchesWords(record.text, words)) hits.push(historyMessageOf(record));
      }
    }
    return hits.sort((a, b) => comparePositions(b, a)).slice(0, request.limit ?? DEFAULT_LIMIT);
  });
}

/** Keys of the messages whose index entries include every term; reads keys only, opens nothing. */
async function messagesWithEveryTerm(store: HistoryStore, terms: readonly string[]): Promise<MessageKey[]> {
  const keyLists: MessageKey[][] = [];
  for (const term of terms) {
    const keys = await store.db.messages
      .where(SEARCH_INDEX)
      .between([term, Dexie.minKey], [term, Dexie.maxKey], true, true)
      .primaryKeys();
    keyLists.push(keys);
  }
  keyLists.sort((a, b) => a.length - b.length);
  const [rarest = [], ...others] = keyLists;
  const otherSets = others.map((keys) => new Set(keys.map(keyString)));
  return rarest.filter((key) => otherSets.every((set) => set.has(keyString(key))));
}
