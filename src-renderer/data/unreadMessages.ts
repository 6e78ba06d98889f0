import { Dexie, type Collection } from 'dexie';
import { comparePositions } from './chatRow';
import { sumOfCounts } from './countedKeys';
import { UNREAD_COUNT_INDEX, type UnreadBlockKey } from './db';
import type { HistoryStore } from './historyStore';
import type { MessagePosition, MessageRecord, UnreadBlockRecord } from './records';

/** Incoming messages arrive unread; my own, from any of my devices, never are. */
export function arrivesUnread(message: Pick<MessageRecord, 'direction'>): boolean {
  return message.direction === 'in';
}

/** The unread blocks for messages added in one write: one per conversation, positions in display order. */
export function unreadBlocksOf(added: readonly MessageRecord[]): UnreadBlockRecord[] {
  const byConversation = new Map<string, MessagePosition[]>();
  for (const message of added) {
    if (!arrivesUnread(message)) continue;
    const positions = byConversation.get(message.conversationId) ?? [];
    positions.push({ sentAt: message.sentAt, senderAccountId: message.senderAccountId, messageId: message.messageId });
    byConversation.set(message.conversationId, positions);
  }
  return [...byConversation].map(([conversationId, positions]) => {
    positions.sort(comparePositions);
    return unreadBlockOf(conversationId, positions);
  });
}

/** A block of a conversation's unread positions (in display order, at least one), keyed by its first. */
export function unreadBlockOf(conversationId: string, positions: MessagePosition[]): UnreadBlockRecord {
  const first = positions[0];
  if (first === undefined) throw new RangeError('An unread block holds at least one message');
  return {
    conversationId,
    firstSentAt: first.sentAt,
    firstSenderAccountId: first.senderAccountId,
    firstMessageId: first.messageId,
    count: positions.length,
    positions,
  };
}

export function unreadBlockKey(block: UnreadBlockRecord): UnreadBlockKey {
  return [block.conversationId, block.firstSentAt, block.firstSenderAccountId, block.firstMessageId];
}

/** A conversation's unread blocks: one key range of the table. */
export function unreadInConversation(
  store: HistoryStore,
  conversationId: string,
): Collection<UnreadBlockRecord, UnreadBlockKey> {
  return store.db.unreadBlocks.where(':id').between([conversationId], [conversationId, Dexie.maxKey], true, true);
}

/** A conversation's unread messages, counted from its blocks' keys (opens nothing). */
export function countUnreadIn(store: HistoryStore, conversationId: string): Promise<number> {
  return sumOfCounts(store.db.unreadBlocks, UNREAD_COUNT_INDEX, conversationId);
}
