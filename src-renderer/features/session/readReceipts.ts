import { z } from 'zod';
import { secretChatIdOf } from '../../../src-shared/domain/messages';
import type { ParleyBridge } from '../../../src-shared/ipc/bridge';
import { markConversationRead, type MessagesRead } from '../../data';
import type { HistoryWriter } from './historyWriter';

/** The contract's bounds on one sendReadReceipts call. */
const IDS_PER_RECEIPT = 1_000;
const RECEIPTS_PER_CALL = 100;
const messageIdSchema = z.uuid();

/**
 * Marks a conversation read and tells the senders, for exactly the messages that pass marked.
 * Each chunk of the marking is its own task on the writer, so the inbox and sends go on between
 * chunks. Ids are chosen by senders; one that is not a UUID cannot go into a receipt (the
 * contract refuses it) and is left out rather than failing the whole call.
 */
export async function markConversationReadAndNotify(bridge: ParleyBridge, writer: HistoryWriter, conversationId: string): Promise<number> {
  const read = await markConversationRead(writer, conversationId);
  // A secret chat's receipts would reach the sender's other devices too (C4): read there only.
  if (secretChatIdOf(conversationId) !== undefined) return read.reduce((total, entry) => total + entry.messageIds.length, 0);
  const receipts = receiptsFor(read);
  for (let start = 0; start < receipts.length; start += RECEIPTS_PER_CALL) {
    await bridge.messaging.sendReadReceipts({ receipts: receipts.slice(start, start + RECEIPTS_PER_CALL) });
  }
  return read.reduce((total, entry) => total + entry.messageIds.length, 0);
}

export function receiptsFor(read: readonly MessagesRead[]): Array<{ accountId: string; messageIds: string[] }> {
  const receipts: Array<{ accountId: string; messageIds: string[] }> = [];
  for (const { senderAccountId, messageIds } of read) {
    const valid = messageIds.filter((messageId) => messageIdSchema.safeParse(messageId).success);
    for (let start = 0; start < valid.length; start += IDS_PER_RECEIPT) {
      receipts.push({ accountId: senderAccountId, messageIds: valid.slice(start, start + IDS_PER_RECEIPT) });
    }
  }
  return receipts;
}
