import { Dexie, type Collection } from 'dexie';
import type { UnreadMessageKey } from './db';
import type { HistoryStore } from './historyStore';
import type { MessageRecord, UnreadMessageRecord } from './records';

/** Incoming messages arrive unread; my own, from any of my devices, never are. */
export function arrivesUnread(message: Pick<MessageRecord, 'direction'>): boolean {
  return message.direction === 'in';
}

/** The unreadMessages row for a message: its position, nothing more. */
export function unreadEntryOf(message: MessageRecord): UnreadMessageRecord {
  return {
    conversationId: message.conversationId,
    sentAt: message.sentAt,
    senderAccountId: message.senderAccountId,
    messageId: message.messageId,
  };
}

/** A conversation's unread messages, in display order: one key range of the table. */
export function unreadInConversation(
  store: HistoryStore,
  conversationId: string,
): Collection<UnreadMessageRecord, UnreadMessageKey> {
  return store.db.unreadMessages.where(':id').between([conversationId], [conversationId, Dexie.maxKey], true, true);
}
