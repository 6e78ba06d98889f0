import { Dexie, type Transaction } from 'dexie';
import { comparePositions } from '../chatRow';
import { MESSAGE_KEY_INDEX, messageKey, PAGE_ORDER_INDEX, type MessageKey } from '../db';
import type { HistoryStore } from '../historyStore';
import { keyString } from '../messageRecords';
import type { MessagePageRecord, MessagePosition, MessageRecord } from '../records';
import { chunkIntoPages, mergeInOrder, PAGE_MESSAGES, pageRecordOf } from './pageLayout';

type LoadedPage = {
  record: MessagePageRecord;
  /** The page's messages as they will be written (display order). */
  messages: MessageRecord[];
  /** Whether a message was replaced (its filter is still right: a text never changes). */
  changed: boolean;
};

/**
 * Changes the message pages of one write transaction: finds stored messages by key, replaces
 * them (a status moved), places new ones, and writes each changed page once at the end. Must be
 * used inside a 'rw' transaction on messagePages, and dropped with it.
 *
 * Placement: a new message belongs to the page with the greatest first position at or before
 * its own (the conversation's first page if it is older than all). Only the pages that receive
 * messages are rewritten: each one's messages and its new ones are split into pages again
 * (pageLayout.ts chunkIntoPages; greedily when they come after its newest, which keeps pages
 * full, evenly when they land among its messages); the first keeps the page's id, and a page
 * whose messages came out the same is not written. So one back-dated message costs the page it
 * lands in, never the pages between it and the newest.
 */
export class PageEditor {
  readonly #store: HistoryStore;
  readonly #pages = new Map<string, LoadedPage>();
  /** Where each loaded message is: its page's id. */
  readonly #pageOfKey = new Map<string, string>();
  #added = false;
  /** Messages' search terms, worked out before the transaction where the caller could. */
  readonly #terms = new Map<string, readonly string[]>();

  constructor(store: HistoryStore) {
    this.#store = store;
  }

  /**
   * Hashes the search terms of messages about to be added. Pure work: called before the
   * transaction opens, it keeps the transaction short; terms not prepared are hashed when needed.
   */
  prepareTerms(messages: readonly MessageRecord[]): void {
    for (const message of messages) this.#terms.set(keyString(messageKey(message)), this.#termsOf(message));
  }

  /** The stored messages with these keys, by keyString; one index read, then their pages. */
  async find(keys: readonly MessageKey[]): Promise<Map<string, MessageRecord>> {
    const wanted = [...new Set(keys.map(keyString))];
    const found = new Map<string, MessageRecord>();
    const unknown = wanted.filter((key) => !this.#pageOfKey.has(key));
    if (unknown.length > 0) {
      await this.#load(await pageIdsHolding(unknown));
    }
    for (const key of wanted) {
      const pageId = this.#pageOfKey.get(key);
      const page = pageId === undefined ? undefined : this.#pages.get(pageId);
      // A page's messageKeys line up with its messages.
      const message = page?.messages[page.record.messageKeys.indexOf(key)];
      if (message !== undefined) found.set(key, message);
    }
    return found;
  }

  /** Replaces a stored message (found through find) with a changed copy; same key, same position. */
  replace(message: MessageRecord): void {
    const key = keyString(messageKey(message));
    const page = this.#pages.get(this.#pageOfKey.get(key) ?? '');
    const index = page?.record.messageKeys.indexOf(key) ?? -1;
    if (page === undefined || index < 0) throw new Error('PageEditor.replace: the message was not found first');
    if (comparePositions(page.messages[index]!, message) !== 0) throw new Error('PageEditor.replace: a message cannot move');
    page.messages[index] = message;
    page.changed = true;
  }

  /**
   * Places messages new to the store (none of their keys stored: the caller checked with find).
   * Once per save: placement reads the stored page index, which does not show pages changed here
   * and not yet saved.
   */
  async add(messages: readonly MessageRecord[]): Promise<void> {
    if (this.#added) throw new Error('PageEditor.add: save before adding again');
    this.#added = true;
    const byConversation = new Map<string, MessageRecord[]>();
    for (const message of messages) {
      const list = byConversation.get(message.conversationId) ?? [];
      list.push(message);
      byConversation.set(message.conversationId, list);
    }
    for (const [conversationId, list] of byConversation) await this.#addToConversation(conversationId, list.sort(comparePositions));
  }

  /** Writes every page changed, in the caller's transaction. */
  async save(): Promise<void> {
    const written: MessagePageRecord[] = [];
    for (const page of this.#pages.values()) {
      if (!page.changed) continue;
      written.push({ ...page.record, messages: page.messages });
      page.changed = false;
    }
    if (written.length > 0) await this.#store.db.messagePages.bulkPut(written);
    this.#added = false;
  }

  async #addToConversation(conversationId: string, added: MessageRecord[]): Promise<void> {
    const targets = await this.#targetPages(conversationId, added);
    await this.#load(targets.map((target) => target.pageId));
    // Each new message goes to the last target starting at or before it; one older than all to the first.
    const incoming = new Map<string, MessageRecord[]>();
    let target = 0;
    for (const message of added) {
      while (target + 1 < targets.length && comparePositions(targets[target + 1]!.first, message) <= 0) target += 1;
      const pageId = targets[target]?.pageId ?? null;
      const key = pageId ?? '';
      const list = incoming.get(key) ?? [];
      list.push(message);
      incoming.set(key, list);
    }
    for (const [pageId, messages] of incoming) {
      const page = pageId === '' ? undefined : this.#pages.get(pageId);
      const stored = page?.messages ?? [];
      const last = stored[stored.length - 1];
      // Appended after the page's newest: fill pages greedily (they stay full). Inserted among its
      // messages: split evenly, so the next insert there does not split again at once.
      const appended = last === undefined || comparePositions(messages[0]!, last) > 0;
      const merged = mergeInOrder(stored, messages);
      const chunks = appended ? chunkIntoPages(merged) : chunkIntoPages(merged, evenShare(merged.length));
      chunks.forEach((chunk, position) => {
        if (position === 0 && page !== undefined && sameMessages(page.messages, chunk)) return;
        const id = position === 0 && page !== undefined ? page.record.pageId : crypto.randomUUID();
        const record = pageRecordOf(id, chunk, (message) => this.#termsOf(message));
        this.#pages.set(id, { record, messages: record.messages, changed: true });
        for (const key of record.messageKeys) this.#pageOfKey.set(key, id);
      });
    }
  }

  /**
   * The pages new messages (one conversation's, in display order) go into, in display order with
   * their first positions: the page the oldest falls in, every page starting among them, and,
   * when the oldest is older than the whole conversation, its first page. Read as index keys.
   */
  async #targetPages(conversationId: string, added: readonly MessageRecord[]): Promise<Array<{ pageId: string; first: MessagePosition }>> {
    const oldest = positionOf(added[0]!);
    const newest = positionOf(added[added.length - 1]!);
    const index = () => this.#store.db.messagePages.where(PAGE_ORDER_INDEX);
    const read = async (collection: { keys(): Promise<unknown[]>; primaryKeys(): Promise<string[]> }) => {
      const [keys, pageIds] = await Promise.all([collection.keys(), collection.primaryKeys()]);
      return pageIds.map((pageId, position) => ({ pageId, first: positionOfKey(keys[position]) }));
    };
    const floor = await read(index().between([conversationId], [conversationId, ...oldest], true, true).reverse().limit(1));
    const inside = await read(index().between([conversationId, ...oldest], [conversationId, ...newest], false, true));
    if (floor.length === 0 && inside.length === 0) {
      return read(index().between([conversationId, ...newest], [conversationId, Dexie.maxKey], false, true).limit(1));
    }
    return [...floor, ...inside];
  }

  #termsOf(message: MessageRecord): readonly string[] {
    return this.#terms.get(keyString(messageKey(message))) ?? this.#store.search.termsForText(message.text);
  }

  async #load(pageIds: readonly string[]): Promise<void> {
    const missing = pageIds.filter((pageId) => !this.#pages.has(pageId));
    if (missing.length === 0) return;
    const records = await this.#store.db.messagePages.bulkGet(missing);
    for (const record of records) {
      if (record === undefined) continue;
      this.#pages.set(record.pageId, { record, messages: [...record.messages], changed: false });
      for (const key of record.messageKeys) this.#pageOfKey.set(key, record.pageId);
    }
  }
}

/**
 * The pages holding any of these message keys. One IndexedDB getKey per key, all issued at once
 * on the running transaction: IndexedDB answers them back to back. Dexie's anyOf walks a cursor
 * that waits for each step's answer before asking for the next, and a Dexie query per key costs
 * several times the request itself; keys are clear fields, so nothing here needs the middleware.
 */
function pageIdsHolding(keys: readonly string[]): Promise<string[]> {
  if (keys.length === 0) return Promise.resolve([]);
  const transaction = Dexie.currentTransaction as (Transaction & { idbtrans?: IDBTransaction }) | null;
  const idb = transaction?.idbtrans;
  if (!idb) throw new Error('PageEditor runs inside a Dexie transaction on messagePages');
  const index = idb.objectStore('messagePages').index(MESSAGE_KEY_INDEX);
  return new Promise((resolve, reject) => {
    const found = new Set<string>();
    let waiting = keys.length;
    for (const key of keys) {
      const request = index.getKey(key);
      request.onsuccess = () => {
        if (typeof request.result === 'string') found.add(request.result);
        waiting -= 1;
        if (waiting === 0) resolve([...found]);
      };
      request.onerror = () => reject(request.error ?? new Error('A message key lookup failed'));
    }
  });
}

function positionOf(message: MessageRecord): [number, string, string] {
  return [message.sentAt, message.senderAccountId, message.messageId];
}

/** A page order index key, [conversationId, sentAt, senderAccountId, messageId], as a position. */
function positionOfKey(key: unknown): MessagePosition {
  const [, sentAt, senderAccountId, messageId] = key as [string, number, string, string];
  return { sentAt, senderAccountId, messageId };
}

/** Messages per page when `count` messages are split into as few pages as they need, evenly. */
function evenShare(count: number): number {
  return Math.ceil(count / Math.ceil(count / PAGE_MESSAGES));
}

function sameMessages(a: readonly MessageRecord[], b: readonly MessageRecord[]): boolean {
  return a.length === b.length && a.every((message, index) => message === b[index]);
}
