import type { HistoryMessage } from '../../data';
import { startOfDay } from '../../ui/dates';

/** Messages from one sender this close together are drawn as one group. */
const GROUP_GAP_MS = 5 * 60 * 1000;

export type MessageRow =
  | { kind: 'day'; key: string; day: number }
  | { kind: 'message'; key: string; message: HistoryMessage; continued: boolean };

/** A message's key among the rows: senders choose ids, so the sender is part of it. */
export function messageRowKey(message: { senderAccountId: string; messageId: string }): string {
  return `m:${message.senderAccountId}:${message.messageId}`;
}

/** The conversation as rows for the virtual list: a date separator before each new day. */
export function buildMessageRows(messages: readonly HistoryMessage[]): MessageRow[] {
  const rows: MessageRow[] = [];
  let previous: HistoryMessage | undefined;
  for (const message of messages) {
    const day = startOfDay(message.sentAt);
    const newDay = previous === undefined || startOfDay(previous.sentAt) !== day;
    if (newDay) rows.push({ kind: 'day', key: `d:${day}`, day });
    const continued =
      !newDay &&
      previous !== undefined &&
      previous.senderAccountId === message.senderAccountId &&
      message.sentAt - previous.sentAt < GROUP_GAP_MS;
    rows.push({ kind: 'message', key: messageRowKey(message), message, continued });
    previous = message;
  }
  return rows;
}
