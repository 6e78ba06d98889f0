import type { ChatRecord, LastMessageSummary, MessagePosition, MessageRecord } from './records';
import { arrivesUnread } from './unreadMessages';

const PREVIEW_LENGTH = 120;

/** A chat row for a conversation that has none yet. */
export function emptyChat(conversationId: string, at: number): ChatRecord {
  return { conversationId, lastActivityAt: at, unreadCount: 0, lastMessage: null, draft: '' };
}

/** The order a conversation is shown in: by sentAt, ties broken by the message's identity. */
export function comparePositions(a: MessagePosition, b: MessagePosition): number {
  if (a.sentAt !== b.sentAt) return a.sentAt < b.sentAt ? -1 : 1;
  if (a.senderAccountId !== b.senderAccountId) return a.senderAccountId < b.senderAccountId ? -1 : 1;
  if (a.messageId !== b.messageId) return a.messageId < b.messageId ? -1 : 1;
  return 0;
}

/**
 * When a message counts as activity for ordering the chat list. sentAt is the sender's clock: an
 * incoming message is taken at no later than the server received it, so a sender cannot pin
 * their chat to the top with a date in the future.
 */
export function activityTime(message: MessageRecord): number {
  return message.direction === 'in' && message.serverReceivedAt !== null
    ? Math.min(message.sentAt, message.serverReceivedAt)
    : message.sentAt;
}

export function previewOf(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  const characters = Array.from(oneLine);
  return characters.length > PREVIEW_LENGTH ? `${characters.slice(0, PREVIEW_LENGTH).join('')}…` : oneLine;
}

function summaryOf(message: MessageRecord): LastMessageSummary {
  return {
    sentAt: message.sentAt,
    senderAccountId: message.senderAccountId,
    messageId: message.messageId,
    direction: message.direction,
    preview: previewOf(message.text),
    status: message.status,
  };
}

/** The chat row after a message new to the store was added to its conversation. */
export function chatWithNewMessage(chat: ChatRecord, message: MessageRecord, unread = arrivesUnread(message)): ChatRecord {
  const newest = chat.lastMessage === null || comparePositions(message, chat.lastMessage) > 0;
  return {
    ...chat,
    lastActivityAt: Math.max(chat.lastActivityAt, activityTime(message)),
    unreadCount: chat.unreadCount + (unread ? 1 : 0),
    lastMessage: newest ? summaryOf(message) : chat.lastMessage,
  };
}

/** The chat row after a message already in it changed status; unchanged if it is not the one shown. */
export function chatWithStatus(chat: ChatRecord, message: MessageRecord): ChatRecord {
  const last = chat.lastMessage;
  if (last === null || comparePositions(last, message) !== 0 || last.status === message.status) return chat;
  return { ...chat, lastMessage: { ...last, status: message.status } };
}
