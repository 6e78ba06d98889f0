import type { ChatMessage } from '../../src-shared/domain/messages';
import type { MessageKey } from './db';
import type { HistoryStore } from './historyStore';
import type { HistoryMessage, MessageRecord } from './records';

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
    searchTerms: store.search.termsForText(message.text),
  };
}

/**
 * What the UI sees of a stored message. Leaves out the search hashes, and the `unread` flag that
 * messages written before schema version 2 still carry and nothing keeps up to date
 * (migrations/003-drop-unread-flag.ts).
 */
export function historyMessageOf(record: MessageRecord): HistoryMessage {
  const { searchTerms: _searchTerms, unread: _staleUnreadFlag, ...message } = record as MessageRecord & { unread?: unknown };
  return message;
}
