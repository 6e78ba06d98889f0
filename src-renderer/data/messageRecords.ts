import type { ChatMessage } from '../../src-shared/domain/messages';
import type { MessageKey } from './db';
import type { MessageRecord } from './records';

/** A key as a string, for maps: JSON keeps the two parts apart whatever characters they hold. */
export function keyString(key: MessageKey): string {
  return JSON.stringify(key);
}

/** The record for a message the core handed over. */
export function recordOfChatMessage(message: ChatMessage): MessageRecord {
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
  };
}
