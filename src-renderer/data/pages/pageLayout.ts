import { comparePositions } from '../chatRow';
import { keyString } from '../messageRecords';
import type { MessagePageRecord, MessageRecord } from '../records';
import { buildTermFilter } from './termFilter';

/**
 * Messages per page. IndexedDB's cost is per record and per index entry far more than per byte
 * (Chromium, these machines: one record per message with its search entries ≈ 2,700 messages a
 * second; a record per hundred ≈ 35,000), and a conversation is read a page of messages at a time.
 */
export const PAGE_MESSAGES = 100;
/** Text characters per page, so that appending one message never re-seals megabytes. */
export const PAGE_TEXT_CHARACTERS = 32_000;

/** The terms a page's filter is built from: the keyed hashes of one message's text. */
export type TermsOf = (message: MessageRecord) => Iterable<string>;

/**
 * Splits messages (one conversation's, in display order) into pages, greedily: each page takes
 * messages until it holds `perPage` (at most PAGE_MESSAGES) or PAGE_TEXT_CHARACTERS (a longer
 * message has a page of its own). Greedy keeps pages full when messages are appended, which is
 * how they nearly always arrive; the page editor asks for fewer per page to split a page evenly.
 */
export function chunkIntoPages(messages: readonly MessageRecord[], perPage: number = PAGE_MESSAGES): MessageRecord[][] {
  const limit = Math.max(1, Math.min(PAGE_MESSAGES, Math.floor(perPage)));
  const pages: MessageRecord[][] = [];
  let current: MessageRecord[] = [];
  let characters = 0;
  for (const message of messages) {
    if (current.length > 0 && (current.length >= limit || characters + message.text.length > PAGE_TEXT_CHARACTERS)) {
      pages.push(current);
      current = [];
      characters = 0;
    }
    current.push(message);
    characters += message.text.length;
  }
  if (current.length > 0) pages.push(current);
  return pages;
}

/** The record for a page of messages (one conversation's, in display order, at least one). */
export function pageRecordOf(pageId: string, messages: readonly MessageRecord[], termsOf: TermsOf): MessagePageRecord {
  const first = messages[0];
  const last = messages[messages.length - 1];
  if (first === undefined || last === undefined) throw new RangeError('A page holds at least one message');
  const terms = new Set<string>();
  for (const message of messages) for (const term of termsOf(message)) terms.add(term);
  return {
    pageId,
    conversationId: first.conversationId,
    firstSentAt: first.sentAt,
    firstSenderAccountId: first.senderAccountId,
    firstMessageId: first.messageId,
    lastSentAt: last.sentAt,
    messageCount: messages.length,
    messageKeys: messages.map((message) => keyString([message.senderAccountId, message.messageId])),
    termFilter: buildTermFilter(terms),
    messages: [...messages],
  };
}

/** Merges two lists already in display order; `added` wins nothing: positions are distinct. */
export function mergeInOrder(stored: readonly MessageRecord[], added: readonly MessageRecord[]): MessageRecord[] {
  const merged: MessageRecord[] = [];
  let i = 0;
  let j = 0;
  while (i < stored.length || j < added.length) {
    const a = stored[i];
    const b = added[j];
    if (b === undefined || (a !== undefined && comparePositions(a, b) <= 0)) {
      merged.push(a!);
      i += 1;
    } else {
      merged.push(b);
      j += 1;
    }
  }
  return merged;
}
