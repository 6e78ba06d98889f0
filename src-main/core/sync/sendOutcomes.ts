import type { Emitter } from '../util/emitter';
import type { MessageStatus, ReceiptUpdate } from '../../../src-shared/domain/messages';
import { messageIdOf, type OutboxEntry } from './outboxEntry';
import type { SendFailure } from './outboxSender';

/** How many sends' outcomes are remembered for waitUntilSent calls that come after the fact. */
const REMEMBERED_OUTCOMES = 10_000;

type Outcome = { sent: true } | { sent: false; error: string };

/**
 * My messages moving on, told on `statuses`: stored by the server, refused, delivered or read;
 * and the latest sends' outcomes ('sent', or the failure's reason), for callers that wait on one message.
 */
export class SendOutcomes {
  private readonly outcomes = new Map<string, Outcome>();

  constructor(private readonly statuses: Emitter<{ messageId: string; status: MessageStatus; by?: string; error?: string }>) {}

  /** The outbox sent `entry`: the server stored it. */
  sent(entry: OutboxEntry) {
    const messageId = messageIdOf(entry.content);
    if (messageId === undefined) return;
    this.remember(messageId, { sent: true });
    this.statuses.emit({ messageId, status: 'sent' });
  }

  /** The server refused a send for good. */
  failed(failure: SendFailure) {
    const messageId = messageIdOf(failure.entry.content);
    if (messageId === undefined) return;
    this.remember(messageId, { sent: false, error: failure.error.message });
    this.statuses.emit({ messageId, status: 'failed', error: failure.error.message });
  }

  /** Delivery and read receipts for my messages (`by` who says so); my own devices' are not about delivery. */
  receipts(receipts: ReceiptUpdate[], selfAccountId: string) {
    for (const receipt of receipts) {
      if (receipt.fromAccountId === selfAccountId) continue;
      for (const messageId of receipt.messageIds) this.statuses.emit({ messageId, status: receipt.receiptType, by: receipt.fromAccountId });
    }
  }

  remember(messageId: string, outcome: Outcome) {
    this.outcomes.set(messageId, outcome);
    if (this.outcomes.size > REMEMBERED_OUTCOMES) this.outcomes.delete(this.outcomes.keys().next().value!);
  }

  /**
   * Resolves when the server has stored the message; rejects if it was refused. A send that
   * ended before the call (one of the latest 10,000 of this run) answers at once.
   */
  waitUntilSent(messageId: string): Promise<void> {
    const outcome = this.outcomes.get(messageId);
    if (outcome) return outcome.sent ? Promise.resolve() : Promise.reject(new Error(outcome.error));
    return new Promise((resolve, reject) => {
      const stop = this.statuses.on((update) => {
        if (update.messageId !== messageId) return;
        if (update.status === 'sent') {
          stop();
          resolve();
        } else if (update.status === 'failed') {
          stop();
          reject(new Error(update.error ?? 'the server refused the message'));
        }
      });
    });
  }
}
