import { Dexie, type Transaction } from 'dexie';
import { pageRecordOf, PAGE_MESSAGES, PAGE_TEXT_CHARACTERS } from '../pages/pageLayout';
import type { MessagePageRecord, MessagePosition, MessageRecord, UnreadBlockRecord } from '../records';
import { unreadBlockOf } from '../unreadMessages';
import type { HistoryMigration } from './historyMigration';

/** A version 4 message: a message record with its search index entries ([term, sentAt]). */
type VersionFourMessage = MessageRecord & { datedSearchTerms?: unknown };

/** Messages read per step of the upgrade, so a large history is never in memory at once. */
const READ_STEP = 2_000;

/**
 * Messages move from one record each (with a dozen or more search index entries) into pages of
 * up to a hundred consecutive messages of a conversation, each page with a filter of its search
 * terms (pages/pageLayout.ts and pages/termFilter.ts say why: IndexedDB's cost is per record and
 * per index entry). The upgrade needs no key: the terms are the keyed hashes each message already
 * holds. It reads the old table in conversation order a step at a time, fills pages as the write
 * path does (greedily, PAGE_MESSAGES or PAGE_TEXT_CHARACTERS), and drops the old table, which
 * Dexie deletes only after the upgrade has run.
 *
 * Unread rows, one per message, become one block per conversation (moveUnreadRows).
 *
 * Pages and blocks are built with the write path's own functions (pageRecordOf, unreadBlockOf)
 * rather than copies, unlike 004: the filter must be the one search reads and a block the shape
 * markConversationRead takes apart, and a later change to either comes with its own upgrade.
 */
export const messagePagesMigration: HistoryMigration = {
  version: 5,
  stores: {
    messages: null,
    unreadMessages: null,
    unreadBlocks: '[conversationId+firstSentAt+firstSenderAccountId+firstMessageId], [conversationId+count]',
    messagePages:
      'pageId, [conversationId+firstSentAt+firstSenderAccountId+firstMessageId], *messageKeys, [conversationId+messageCount], [lastSentAt+pageId+termFilter], [conversationId+lastSentAt+pageId+termFilter]',
  },
  upgrade: async (transaction) => {
    const messages = transaction.table('messages');
    const pages = transaction.table('messagePages');
    const terms = new WeakMap<MessageRecord, string[]>();
    let current: MessageRecord[] = [];
    let characters = 0;
    const finished: MessagePageRecord[] = [];
    const finish = () => {
      if (current.length > 0) finished.push(pageRecordOf(crypto.randomUUID(), current, (message) => terms.get(message) ?? []));
      current = [];
      characters = 0;
    };
    let after: unknown[] | null = null;
    for (;;) {
      const index = messages.where('[conversationId+sentAt+senderAccountId+messageId]');
      const step: VersionFourMessage[] = await (after === null ? index.above(Dexie.minKey) : index.above(after))
        .limit(READ_STEP)
        .toArray();
      for (const stored of step) {
        const { datedSearchTerms, ...message } = stored;
        terms.set(message, termsOf(datedSearchTerms));
        const previous = current[current.length - 1];
        if (
          previous !== undefined &&
          (previous.conversationId !== message.conversationId ||
            current.length >= PAGE_MESSAGES ||
            characters + message.text.length > PAGE_TEXT_CHARACTERS)
        ) {
          finish();
        }
        current.push(message);
        characters += message.text.length;
      }
      if (finished.length > 0) await pages.bulkAdd(finished.splice(0));
      const last = step[step.length - 1];
      if (step.length < READ_STEP || last === undefined) break;
      after = [last.conversationId, last.sentAt, last.senderAccountId, last.messageId];
    }
    finish();
    if (finished.length > 0) await pages.bulkAdd(finished.splice(0));
    await moveUnreadRows(transaction);
  },
};

/** Unread rows in one block per conversation, at most this many messages each. */
const UNREAD_BLOCK_LIMIT = 1_000;

/**
 * Version 4 kept a row per unread message (its position, keyed by it); version 5 keeps blocks of
 * them (records.ts UnreadBlockRecord), so a catch-up writes a row per batch. The rows are read
 * in key order (each conversation's in display order) and grouped. They are read at once: a row
 * is a position and nothing else, and unread messages number far fewer than messages.
 */
async function moveUnreadRows(transaction: Transaction): Promise<void> {
  const rows: Array<MessagePosition & { conversationId: string }> = await transaction.table('unreadMessages').toArray();
  const blocks: UnreadBlockRecord[] = [];
  let current: MessagePosition[] = [];
  let conversationId: string | null = null;
  for (const row of rows) {
    if (conversationId !== null && (row.conversationId !== conversationId || current.length >= UNREAD_BLOCK_LIMIT)) {
      blocks.push(unreadBlockOf(conversationId, current));
      current = [];
    }
    conversationId = row.conversationId;
    current.push({ sentAt: row.sentAt, senderAccountId: row.senderAccountId, messageId: row.messageId });
  }
  if (conversationId !== null && current.length > 0) blocks.push(unreadBlockOf(conversationId, current));
  if (blocks.length > 0) await transaction.table('unreadBlocks').bulkAdd(blocks);
}

/** The term hashes of version 4's [term, sentAt] entries; anything else is dropped. */
function termsOf(entries: unknown): string[] {
  if (!Array.isArray(entries)) return [];
  const terms: string[] = [];
  for (const entry of entries) if (Array.isArray(entry) && typeof entry[0] === 'string') terms.push(entry[0]);
  return terms;
}
