import { expect, vi } from 'vitest';
import type { MessageStatus } from '../../../src-shared/domain/messages';
import { comparePositions } from '../chatRow';
import type { MessageKey } from '../db';
import type { HistoryStore } from '../historyStore';
import { keyString } from '../messageRecords';
import { PageEditor } from '../pages/pageEditor';
import { PAGE_MESSAGES, PAGE_TEXT_CHARACTERS } from '../pages/pageLayout';
import { buildTermFilter } from '../pages/termFilter';
import type { MessagePageRecord, MessageRecord } from '../records';
import { ALICE, readRawTables } from './historyTesting';

/**
 * For the page editor's tests (pages/pageEditor*.test.ts): messages to write, writes through a
 * PageEditor in one transaction, and the checks every write must pass (each message stored once,
 * pages well formed and in order, clear fields and filters rebuilt exactly, no needless rewrite).
 */
export const T = 1_700_000_000_000;
export const DAVE = '00000000-0000-4000-8000-0000000da7e0';
export const STATUSES: readonly MessageStatus[] = ['pending', 'sent', 'delivered', 'read', 'failed'];
export const VOCABULARY = ['harbour', 'lights', 'weather', 'lunch', 'Café', 'crème', 'tomorrow', 'maybe', 'thanks', 'project'];


export const keyOf = (message: MessageRecord): MessageKey => [message.senderAccountId, message.messageId];
export const keyStringOf = (message: MessageRecord) => keyString(keyOf(message));

/** A page's clear fields (its index keys) agree with the messages it seals, in display order. */
export function expectClearFieldsOf(page: Omit<MessagePageRecord, 'messages'>, messages: readonly MessageRecord[]): void {
  const first = messages[0]!;
  const last = messages[messages.length - 1]!;
  expect(page.firstSentAt).toBe(first.sentAt);
  expect(page.firstSenderAccountId).toBe(first.senderAccountId);
  expect(page.firstMessageId).toBe(first.messageId);
  expect(page.lastSentAt).toBe(last.sentAt);
  expect(page.messageCount).toBe(messages.length);
  expect(page.messageKeys).toEqual(messages.map(keyStringOf));
}

export function makeMessage(conversationId: string, sender: string, messageId: string, sentAt: number, text: string): MessageRecord {
  const outgoing = sender === ALICE;
  return {
    senderAccountId: sender,
    messageId,
    conversationId,
    direction: outgoing ? 'out' : 'in',
    senderDeviceId: 1,
    text,
    sentAt,
    serverReceivedAt: sentAt + 50,
    status: outgoing ? 'sent' : null,
    statusAt: null,
  };
}

/** Short messages of one conversation, one a second from `from`, alternating senders. */
export function conversation(conversationId: string, count: number, from = T, prefix = `m${conversationId.slice(-4)}-`): MessageRecord[] {
  return Array.from({ length: count }, (_, index) =>
    makeMessage(conversationId, index % 2 === 0 ? conversationId : ALICE, `${prefix}${String(index).padStart(5, '0')}`, from + index * 1_000, `${VOCABULARY[index % 10]} n${index}`),
  );
}

export type Change = { adds?: readonly MessageRecord[]; replaces?: readonly MessageRecord[]; prepare?: boolean };

/** One write transaction as the store's writers run it: find, replace, add, save. */
export async function write(store: HistoryStore, { adds = [], replaces = [], prepare = true }: Change): Promise<void> {
  const { db } = store;
  const editor = new PageEditor(store);
  if (prepare) editor.prepareTerms(adds);
  await db.transaction('rw', db.messagePages, async () => {
    const found = await editor.find([...replaces, ...adds].map(keyOf));
    for (const added of adds) expect(found.has(keyStringOf(added)), `${keyStringOf(added)} is new`).toBe(false);
    for (const replaced of replaces) {
      expect(found.get(keyStringOf(replaced)), `${keyStringOf(replaced)} is stored`).toBeDefined();
      editor.replace(replaced);
    }
    await editor.add(adds);
    await editor.save();
  });
}

export async function storedPages(store: HistoryStore): Promise<MessagePageRecord[]> {
  return store.db.messagePages.toArray();
}

export async function rawPages(store: HistoryStore): Promise<Map<string, unknown>> {
  const tables = await readRawTables(store.db.name);
  return new Map((tables.messagePages ?? []).map((row) => [(row as { pageId: string }).pageId, row]));
}

/** The terms of a text, hashed once per store: the checks below rebuild every page's filter. */
const termsCache = new WeakMap<HistoryStore, Map<string, string[]>>();
export function termsOfText(store: HistoryStore, text: string): string[] {
  const cache = termsCache.get(store) ?? new Map<string, string[]>();
  termsCache.set(store, cache);
  let terms = cache.get(text);
  if (terms === undefined) {
    terms = store.search.termsForText(text);
    cache.set(text, terms);
  }
  return terms;
}

/** A row as one string, byte arrays as hex: vitest's toEqual walks a typed array an element at a time. */
export const rowText = (row: unknown) =>
  JSON.stringify(row, (_field, value: unknown) =>
    value instanceof Uint8Array ? `bytes:${Array.from(value, (byte) => byte.toString(16).padStart(2, '0')).join('')}` : value,
  );
export const pageContent = (page: MessagePageRecord) => rowText(page);

/**
 * Checks every invariant of the stored pages against the model (every message the test stored,
 * as it should now be), and that find() answers exactly the stored keys.
 */
export async function expectConsistent(store: HistoryStore, model: ReadonlyMap<string, MessageRecord>, absent: readonly MessageKey[] = []): Promise<void> {
  const pages = await storedPages(store);
  const seen = new Map<string, MessageRecord>();
  const byConversation = new Map<string, MessagePageRecord[]>();
  for (const page of pages) {
    const { messages } = page;
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.length).toBeLessThanOrEqual(PAGE_MESSAGES);
    if (messages.length > 1) expect(messages.reduce((sum, stored) => sum + stored.text.length, 0)).toBeLessThanOrEqual(PAGE_TEXT_CHARACTERS);
    for (const stored of messages) {
      expect(stored.conversationId).toBe(page.conversationId);
      const key = keyStringOf(stored);
      expect(seen.has(key), `${key} is stored once`).toBe(false);
      seen.set(key, stored);
    }
    for (let index = 1; index < messages.length; index += 1) expect(comparePositions(messages[index - 1]!, messages[index]!)).toBeLessThan(0);
    expectClearFieldsOf(page, messages);
    expect(rowText(page.termFilter), `the filter of page ${page.pageId}`).toBe(rowText(buildTermFilter(messages.flatMap((stored) => termsOfText(store, stored.text)))));
    byConversation.set(page.conversationId, [...(byConversation.get(page.conversationId) ?? []), page]);
  }
  // Every message stored exactly once, as the model has it.
  expect(new Set(seen.keys())).toEqual(new Set(model.keys()));
  for (const [key, stored] of seen) expect(stored).toEqual(model.get(key));
  // A conversation's pages follow one another without overlapping.
  for (const conversationPages of byConversation.values()) {
    conversationPages.sort((a, b) => comparePositions(a.messages[0]!, b.messages[0]!));
    for (let index = 1; index < conversationPages.length; index += 1) {
      const previous = conversationPages[index - 1]!.messages;
      expect(comparePositions(previous[previous.length - 1]!, conversationPages[index]!.messages[0]!)).toBeLessThan(0);
    }
  }
  // find() answers exactly the stored keys, and nothing for keys never stored.
  const { db } = store;
  const found = await db.transaction('rw', db.messagePages, () =>
    new PageEditor(store).find([...[...model.values()].map(keyOf), ...absent]),
  );
  expect(new Set(found.keys())).toEqual(new Set(model.keys()));
  for (const [key, stored] of found) expect(stored).toEqual(model.get(key));
}

/** Spies on the page writes: which page ids each transaction put and deleted. */
export function spyOnWrites(store: HistoryStore) {
  const put = vi.spyOn(store.db.messagePages, 'bulkPut');
  const deleted = vi.spyOn(store.db.messagePages, 'bulkDelete');
  return {
    take(): { put: string[]; deleted: string[] } {
      const result = {
        put: put.mock.calls.flatMap(([records]) => (records as MessagePageRecord[]).map((record) => record.pageId)),
        deleted: deleted.mock.calls.flatMap(([keys]) => keys as string[]),
      };
      put.mockClear();
      deleted.mockClear();
      return result;
    },
  };
}

/**
 * Runs one change and checks that only pages whose messages changed were written: the pages
 * put are exactly the new pages and those whose content differs, and every other page's raw row
 * (its sealed bytes, under a fresh nonce each seal) is byte for byte what it was.
 */
export async function writeAndCheckRewrites(store: HistoryStore, writes: ReturnType<typeof spyOnWrites>, change: Change) {
  const before = new Map((await storedPages(store)).map((page) => [page.pageId, pageContent(page)]));
  const rawBefore = await rawPages(store);
  writes.take();
  await write(store, change);
  const { put, deleted } = writes.take();
  const after = await storedPages(store);
  const changed = after.filter((page) => before.get(page.pageId) !== pageContent(page)).map((page) => page.pageId);
  expect(new Set(put)).toEqual(new Set(changed));
  expect(put.length).toBe(new Set(put).size);
  const rawAfter = await rawPages(store);
  for (const page of after) {
    if (!put.includes(page.pageId)) expect(rowText(rawAfter.get(page.pageId)), `raw row of page ${page.pageId}`).toBe(rowText(rawBefore.get(page.pageId)));
  }
  // Deleted pages are gone, and only pages that were stored are deleted.
  for (const pageId of deleted) {
    expect(rawBefore.has(pageId)).toBe(true);
    expect(rawAfter.has(pageId)).toBe(false);
  }
  for (const pageId of rawBefore.keys()) if (!rawAfter.has(pageId)) expect(deleted).toContain(pageId);
  return { put, deleted, after };
}
