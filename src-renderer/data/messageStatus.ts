import type { MessageStatus } from '../../src-shared/domain/messages';

const PROGRESS: Record<Exclude<MessageStatus, 'failed'>, number> = { pending: 0, sent: 1, delivered: 2, read: 3 };

/**
 * The status my message takes when `proposed` arrives while it is `current`. Only moves
 * forward: sent → delivered → read. Receipts and send results arrive out of order (a read
 * receipt can overtake the delivery receipt, a late "sent" can follow a "read"), and an older
 * one must never undo a newer one.
 *
 * "failed" is separate: only a pending message can fail (once the server has it, it is sent),
 * and a failed message moves on again when a retry is pending, when it is sent after all, or
 * when a receipt proves it arrived.
 */
export function advanceStatus(current: MessageStatus, proposed: MessageStatus): MessageStatus {
  if (proposed === 'failed') return current === 'pending' ? 'failed' : current;
  if (current === 'failed') return proposed;
  return PROGRESS[proposed] > PROGRESS[current] ? proposed : current;
}
