import { Dexie } from 'dexie';
import { comparePositions } from '../chatRow';
import { CONVERSATION_SEARCH_FILTER_INDEX, SEARCH_FILTER_INDEX } from '../db';
import type { HistoryStore } from '../historyStore';
import { filterMayContain } from '../pages/termFilter';
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
/**
 * Filters read per index request, newest pages first: few at first (a common word's first
 * screen is in the newest pages, and each filter is a key of a kilobyte or two to read), four
 * times as many with each next request, up to the most.
 */
const FIRST_FILTERS_READ = 16;
const MOST_FILTERS_READ = 256;
/**
 * Candidate pages opened per request at most. The first request opens one; each next one as many
 * as the hits per page so far say the results still wanted need (twice as many after pages with
 * none): a rare word's first screen then costs two round trips to IndexedDB, not four.
 */
const PAGES_PER_OPEN = 16;

/** A search filter index key: [lastSentAt, pageId, filter] (or with the conversation id first). */
type FilterEntry = { key: unknown[]; lastSentAt: number; pageId: string; filter: Uint8Array };

/**
 * Local full-text search, newest first. The query's words are hashed as message words were when
 * stored. Each page of messages has a filter of its terms (pages/termFilter.ts), stored as an
 * index key with the page's newest sentAt: the search reads filters newest page first as keys
 * (nothing is opened), opens only the pages whose filter may hold every query term, and confirms
 * each message against its text (which also drops the filter's false positives). Pages of
 * different conversations overlap in time, so it stops once it holds `limit` hits all newer than
 * the next page's newest message: the cost follows the results shown, not how many messages
 * match. One read transaction, so filters and pages are one snapshot.
 */
export async function searchMessages(store: HistoryStore, request: MessageSearchRequest): Promise<HistoryMessage[]> {
  const { terms, words } = store.search.termsForQuery(request.query);
  const limit = Math.floor(request.limit ?? DEFAULT_LIMIT);
  if (terms.length === 0 || !(limit > 0)) return [];
  const { db } = store;
  const { conversationId } = request;

  return db.transaction('r', db.messagePages, async () => {
    const hits: HistoryMessage[] = [];
    // Kept sorted, newest first, and cut to `limit` after each opening: a hit cut is outranked by `limit` others.
    const done = (nextLastSentAt: number) => hits.length >= limit && hits[limit - 1]!.sentAt > nextLastSentAt;
    const candidates: FilterEntry[] = [];
    // One page first: a common word's newest page often holds every result.
    let openAtOnce = 1;
    let [pagesOpened, matchesFound] = [0, 0];
    const openCandidates = async (upTo: number) => {
      while (candidates.length > upTo) {
        const batch = candidates.splice(0, openAtOnce);
        const pages = await db.messagePages.bulkGet(batch.map((entry) => entry.pageId));
        for (const page of pages) {
          if (page === undefined) continue;
          for (const message of page.messages) {
            if (conversationId !== undefined && message.conversationId !== conversationId) continue;
            if (textMatchesWords(message.text, words)) {
              hits.push(message);
              matchesFound += 1;
            }
          }
        }
        pagesOpened += batch.length;
        hits.sort((a, b) => comparePositions(b, a));
        hits.length = Math.min(hits.length, limit);
        // Once the results are full, what is left only checks pages that overlap them in time: doubling as before.
        const perPage = matchesFound / pagesOpened;
        const wanted = Math.ceil((limit - hits.length) / perPage);
        openAtOnce = Math.min(PAGES_PER_OPEN, perPage > 0 && wanted > 0 ? wanted : openAtOnce * 2);
      }
    };

    let upper: unknown[] | null = null;
    let filtersToRead = FIRST_FILTERS_READ;
    for (;;) {
      const entries = await readFilters(store, conversationId, upper, filtersToRead);
      for (const entry of entries) {
        if (done(entry.lastSentAt)) {
          await openCandidates(0);
          if (done(entry.lastSentAt)) return hits.slice(0, limit);
        }
        if (terms.every((term) => filterMayContain(entry.filter, term))) candidates.push(entry);
        if (candidates.length >= openAtOnce) await openCandidates(candidates.length - openAtOnce);
      }
      const last = entries[entries.length - 1];
      if (entries.length < filtersToRead || last === undefined) break;
      upper = last.key;
      filtersToRead = Math.min(filtersToRead * 4, MOST_FILTERS_READ);
    }
    await openCandidates(0);
    return hits;
  });
}

/** The next filters, newest page first, below `upper` (the last key read). */
async function readFilters(store: HistoryStore, conversationId: string | undefined, upper: unknown[] | null, count: number): Promise<FilterEntry[]> {
  const table = store.db.messagePages;
  const range =
    conversationId === undefined
      ? table.where(SEARCH_FILTER_INDEX).between([Dexie.minKey], upper ?? [Dexie.maxKey], true, false)
      : table
          .where(CONVERSATION_SEARCH_FILTER_INDEX)
          .between([conversationId, Dexie.minKey], upper ?? [conversationId, Dexie.maxKey], true, false);
  const keys = await range.reverse().limit(count).keys();
  const offset = conversationId === undefined ? 0 : 1;
  return keys.map((key) => {
    const parts = key as unknown[];
    return { key: parts, lastSentAt: parts[offset] as number, pageId: parts[offset + 1] as string, filter: asBytes(parts[offset + 2]) };
  });
}

/** IndexedDB hands binary keys back as ArrayBuffers. */
function asBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return new Uint8Array(0);
}
