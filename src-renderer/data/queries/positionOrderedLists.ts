import { Dexie, type Collection } from 'dexie';
import { CONVERSATION_ORDER_INDEX, SEARCH_INDEX, type HistoryDatabase, type MessageKey } from '../db';
import type { MessageRecord } from '../records';

/**
 * Lists of messages that an index keeps in conversation order — by sentAt, ties by primary key
 * ([senderAccountId, messageId]), exactly as comparePositions orders them — read key-only, a
 * window of time at a time, newest window first. Search intersects these lists (each query
 * term's messages, and a conversation's when it is scoped) without opening a record.
 */
export type PositionOrderedList = {
  /** The entries with `from` <= sentAt < `before`; no bound where null. */
  between(from: number | null, before: number | null): Collection<MessageRecord, MessageKey>;
};

/** The messages holding one search term (the multi-entry search index, entries [term, sentAt]). */
export function messagesWithTerm(db: HistoryDatabase, term: string): PositionOrderedList {
  return {
    between: (from, before) =>
      db.messages
        .where(SEARCH_INDEX)
        .between([term, from ?? Dexie.minKey], [term, before ?? Dexie.maxKey], true, false),
  };
}

/** One conversation's messages (the conversation order index). */
export function messagesInConversation(db: HistoryDatabase, conversationId: string): PositionOrderedList {
  return {
    between: (from, before) =>
      db.messages
        .where(CONVERSATION_ORDER_INDEX)
        .between([conversationId, from ?? Dexie.minKey], [conversationId, before ?? Dexie.maxKey], true, false),
  };
}

/**
 * Where a window that ends before `before` should start: the sentAt of the `size`-th newest
 * entry of whichever list reaches back furthest for it, so that every list has at least `size`
 * entries in the window. Null when some list has fewer than `size` left: the window then reaches
 * back to the beginning. Reads one key per list (IndexedDB skips to it).
 */
export async function windowStart(
  lists: readonly PositionOrderedList[],
  before: number | null,
  size: number,
): Promise<number | null> {
  let start = Infinity;
  for (const list of lists) {
    const [key] = await list.between(null, before).reverse().offset(size - 1).limit(1).keys();
    if (key === undefined) return null;
    start = Math.min(start, sentAtOf(key));
  }
  return start;
}

/**
 * The messages in every list with `from` <= sentAt < `before`, newest first. Reads primary keys
 * only, one range per list; the smallest list's order is kept, filtered by the others.
 */
export async function keysInEveryList(
  lists: readonly PositionOrderedList[],
  from: number | null,
  before: number | null,
): Promise<MessageKey[]> {
  const keyLists: MessageKey[][] = [];
  for (const list of lists) {
    const keys = await list.between(from, before).primaryKeys();
    if (keys.length === 0) return [];
    keyLists.push(keys);
  }
  keyLists.sort((a, b) => a.length - b.length);
  const [smallest = [], ...others] = keyLists;
  let kept = smallest;
  for (const keys of others) {
    // Only the kept keys go into a set: a common word's long list is scanned, never stored twice.
    const wanted = messageKeySet(kept);
    const found = messageKeySet(keys.filter((key) => wanted.has(key)));
    kept = kept.filter((key) => found.has(key));
  }
  return kept.reverse();
}

/** A set of message keys, by sender then message id: no string is built per key. */
function messageKeySet(keys: readonly MessageKey[]): { has(key: MessageKey): boolean } {
  const bySender = new Map<string, Set<string>>();
  for (const [senderAccountId, messageId] of keys) {
    const messageIds = bySender.get(senderAccountId);
    if (messageIds) messageIds.add(messageId);
    else bySender.set(senderAccountId, new Set([messageId]));
  }
  return { has: ([senderAccountId, messageId]) => bySender.get(senderAccountId)?.has(messageId) ?? false };
}

/** Both indexes put sentAt second: [term, sentAt] and [conversationId, sentAt, …]. */
function sentAtOf(key: unknown): number {
  const sentAt: unknown = Array.isArray(key) ? key[1] : undefined;
  if (typeof sentAt !== 'number') throw new TypeError('A message index key without a sentAt');
  return sentAt;
}
