import type { ChatMessage } from '../../src-shared/domain/messages';
import type { MessageKey } from './db';
import type { HistoryStore } from './historyStore';
import type { DatedSearchTerm, HistoryMessage, MessageRecord } from './records';

/** A key as a string, for maps: JSON keeps the two parts apart whatever characters they hold. */
export function keyString(key: MessageKey): string {
  return JSON.stringify(key);
}

/** The record for a message the core handed over, with its search terms. */
export function recordOfChatMessage(store: HistoryStore, message: ChatMessage): MessageRecord {
  const outgoing = message.direction === 'out';
  return {
    senderAccountId: message.senderAccountId,
    messageId: message.messageId,
    conversationId: message.conversationId,
    direction: message.direction,
    senderDeviceId: message.senderDeviceId,
    text: message.text,
    sentAt: message.sentAt,
    serverReceivedAt: message.serverReceivedAt,
    // My message from another device of mine: the server has it, so it is sent.
    status: outgoing ? 'sent' : null,
    statusAt: null,
    datedSearchTerms: datedSearchTermsFor(store, message.text, message.sentAt),
  };
}

/** A message's search index entries: the keyed hashes of its text, each with its sentAt. */
export function datedSearchTermsFor(store: HistoryStore, text: string, sentAt: number): DatedSearchTerm[] {
  return store.search.termsForText(text).map((term): DatedSearchTerm => [term, sentAt]);
}

/** What the UI sees of a stored message: the search hashes stay inside the store. */
export function historyMessageOf(record: MessageRecord): HistoryMessage {
  const { datedSearchTerms: _datedSearchTerms, ...message } = record;
  return message;
}
