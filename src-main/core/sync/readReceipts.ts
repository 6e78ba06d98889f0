import type { ReadSyncContent, ReceiptContent } from '../../../src-shared/protocol/content';
import type { VaultTransaction } from '../vault/vaultTransaction';
import { enqueueOutgoing } from './outboxEntry';

/** Message ids per receipt or read_sync message (the content schemas' bound). */
const IDS_PER_MESSAGE = 1_000;

/**
 * Stages read receipts to each sender, and the same reads to my other devices (read_sync) so
 * they mark them read too (with no other device, the outbox has nothing to send and is done).
 * My own messages need no receipt.
 */
export function enqueueReadReceipts(
  transaction: VaultTransaction,
  receipts: Array<{ accountId: string; messageIds: string[] }>,
  selfAccountId: string,
  createdAt: number,
): void {
  for (const { accountId, messageIds } of receipts) {
    if (accountId === selfAccountId) continue;
    for (let start = 0; start < messageIds.length; start += IDS_PER_MESSAGE) {
      const chunk = messageIds.slice(start, start + IDS_PER_MESSAGE);
      const content: ReceiptContent = { kind: 'receipt', receiptType: 'read', messageIds: chunk };
      enqueueOutgoing(transaction, { to: accountId, content, createdAt });
      const readSync: ReadSyncContent = { kind: 'read_sync', conversationId: accountId, messageIds: chunk };
      enqueueOutgoing(transaction, { to: selfAccountId, content: readSync, createdAt });
    }
  }
}
