import { expect } from 'vitest';
import type { MessageStatus } from '../../../src-shared/domain/messages';
import { comparePositions } from '../chatRow';
import { deriveHistoryKeys } from '../encryption/storageKeys';
import type { HistoryStore } from '../historyStore';
import { keyString } from '../messageRecords';
import { PAGE_MESSAGES } from '../pages/pageLayout';
import { listMessagesPage } from '../queries/conversationMessages';
import type { HistoryMessage, MessagePageRecord, MessagePosition } from '../records';
import { createSearchTermHasher, textMatchesWords } from '../search/searchTerms';
import { searchWords } from '../search/searchWords';
import { ALICE, BOB, CAROL, testStorageKey, uniqueDatabaseName } from './historyTesting';

/**
 * The version 4 history migration 005's test seeds (three conversations, 3,090 messages with
 * shared times, every status, accents and one message longer than a page's text), and the readers
 * and brute-force search its assertions compare the upgraded history with.
 */
export const T = 1_700_000_000_000;
export const DAVE = '00000000-0000-4000-8000-0000000da7e0';
export const options = { name: uniqueDatabaseName('migration-005'), storageKey: testStorageKey(), accountId: ALICE };
export const hasher = createSearchTermHasher(deriveHistoryKeys(options.storageKey).searchKey);

/** Messages per conversation: Bob's and Carol's span many pages, Dave's fits in one. */
export const COUNTS = { [BOB]: 1_900, [CAROL]: 1_150, [DAVE]: 40 } as const;
export const CONVERSATIONS = [BOB, CAROL, DAVE] as const;
/** Bob's message at this index is longer than a page's text allowance: it gets a page of its own. */
export const LONG_INDEX = 777;
export const BOB_UNREAD = 1_100;
export const LONG_TEXT = `zebracrossing ${'lorem ipsum dolor sit amet '.repeat(1_300)}end`;
export const STATUSES: readonly MessageStatus[] = ['pending', 'sent', 'delivered', 'read', 'failed'];
export const VOCABULARY = ['plain', 'words', 'about', 'nothing', 'much', 'Café', 'crème', 'brûlée', 'tomorrow', 'weather'];

/** A v4 message without its search entries: what the UI sees, and what the upgrade must keep. */
export type SeededMessage = HistoryMessage;

/** A message as version 4 wrote it, with its fields as they should come out of the upgrade. */
export function seededMessage(conversationId: string, index: number): SeededMessage {
  // Real ids are random: their order differs from the order messages were sent in.
  const messageId = `${conversationId.slice(-4)}-${((index * 2_654_435_761) >>> 0).toString(16).padStart(8, '0')}`;
  const sender = index % 3 === 0 ? ALICE : conversationId;
  // Two messages share each sentAt (the same sender or not), and conversations interleave in time.
  const sentAt = T + Math.floor(index / 2) * 1_000 + CONVERSATIONS.indexOf(conversationId as (typeof CONVERSATIONS)[number]);
  const outgoing = sender === ALICE;
  const status = outgoing ? STATUSES[index % STATUSES.length]! : null;
  let text = `${VOCABULARY[index % VOCABULARY.length]} ${VOCABULARY[(index * 7) % VOCABULARY.length]} n${index}`;
  if (index % 37 === 0) text = `Harbour lights ${text}`;
  if (index % 53 === 0) text = `lighthouse keeper ${text}`;
  if (conversationId === BOB && index === LONG_INDEX) text = LONG_TEXT;
  return {
    senderAccountId: sender,
    messageId,
    conversationId,
    direction: outgoing ? 'out' : 'in',
    senderDeviceId: 1 + (index % 3),
    text,
    sentAt,
    serverReceivedAt: status === 'pending' ? null : sentAt + 50,
    status,
    statusAt: status === 'delivered' || status === 'read' ? sentAt + 2_000 : null,
  };
}

export const seeded = new Map<string, SeededMessage[]>(
  CONVERSATIONS.map((conversationId) => [
    conversationId,
    Array.from({ length: COUNTS[conversationId] }, (_, index) => seededMessage(conversationId, index)).sort(comparePositions),
  ]),
);
export const allSeeded = [...seeded.values()].flat();

/** Incoming messages still unread at version 4: Bob's newest 1,100 incoming (more than one block), every 11th of Carol's. */
export const unreadAtFour = new Map<string, SeededMessage[]>([
  [BOB, seeded.get(BOB)!.filter((message) => message.direction === 'in').slice(-BOB_UNREAD)],
  [CAROL, seeded.get(CAROL)!.filter((message, index) => message.direction === 'in' && index % 11 === 0)],
  [DAVE, []],
]);

export const ids = (messages: readonly { messageId: string }[]) => messages.map((message) => message.messageId);
export const newestFirst = (messages: readonly SeededMessage[]) => [...messages].sort((a, b) => comparePositions(b, a));
export const position = ({ sentAt, senderAccountId, messageId }: MessagePosition): MessagePosition => ({ sentAt, senderAccountId, messageId });

/** What search should find: every seeded (or later added) message whose text has the query's words. */
export function bruteForce(messages: readonly SeededMessage[], query: string, conversationId?: string): string[] {
  const words = searchWords(query);
  return ids(
    newestFirst(
      messages.filter(
        (message) => (conversationId === undefined || message.conversationId === conversationId) && textMatchesWords(message.text, words),
      ),
    ),
  );
}

/** A whole conversation read newest first, `limit` at a time with `before`, as the list scrolls up. */
export async function readBackwards(store: HistoryStore, conversationId: string, limit: number): Promise<HistoryMessage[]> {
  const chunks: HistoryMessage[][] = [];
  let page = await listMessagesPage(store, { conversationId, limit });
  chunks.unshift(page.messages);
  while (page.hasMore) {
    expect(page.messages).toHaveLength(limit);
    page = await listMessagesPage(store, { conversationId, limit, before: position(page.messages[0]!) });
    chunks.unshift(page.messages);
  }
  return chunks.flat();
}

/** A whole conversation read oldest first from its first message, `limit` at a time with `after`. */
export async function readForwards(store: HistoryStore, conversationId: string, first: HistoryMessage, limit: number): Promise<HistoryMessage[]> {
  const messages: HistoryMessage[] = [first];
  let after = position(first);
  for (;;) {
    const page = await listMessagesPage(store, { conversationId, limit, after });
    messages.push(...page.messages);
    if (!page.hasMore) return messages;
    expect(page.messages).toHaveLength(limit);
    after = position(page.messages[page.messages.length - 1]!);
  }
}

/** Every page, opened, by conversation in display order; checks what holds for any page. */
export async function readCheckedPages(store: HistoryStore): Promise<Map<string, MessagePageRecord[]>> {
  const byConversation = new Map<string, MessagePageRecord[]>();
  for (const page of await store.db.messagePages.toArray()) {
    const first = page.messages[0]!;
    const last = page.messages[page.messages.length - 1]!;
    expect(page.messages.length).toBeGreaterThan(0);
    expect(page.messages.length).toBeLessThanOrEqual(PAGE_MESSAGES);
    expect(page.messageCount).toBe(page.messages.length);
    expect(page.messages.every((message) => message.conversationId === page.conversationId)).toBe(true);
    expect([page.firstSentAt, page.firstSenderAccountId, page.firstMessageId, page.lastSentAt]).toEqual([
      first.sentAt,
      first.senderAccountId,
      first.messageId,
      last.sentAt,
    ]);
    expect(page.messageKeys).toEqual(page.messages.map((message) => keyString([message.senderAccountId, message.messageId])));
    for (let index = 1; index < page.messages.length; index += 1) {
      expect(comparePositions(page.messages[index - 1]!, page.messages[index]!)).toBeLessThan(0);
    }
    const list = byConversation.get(page.conversationId) ?? [];
    list.push(page);
    byConversation.set(page.conversationId, list);
  }
  for (const pages of byConversation.values()) {
    pages.sort((a, b) => comparePositions(a.messages[0]!, b.messages[0]!));
    // No two pages of a conversation overlap: each ends before the next begins.
    for (let index = 1; index < pages.length; index += 1) {
      expect(comparePositions(pages[index - 1]!.messages.at(-1)!, pages[index]!.messages[0]!)).toBeLessThan(0);
    }
  }
  return byConversation;
}
