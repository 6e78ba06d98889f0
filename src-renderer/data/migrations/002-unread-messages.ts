import type { HistoryMigration } from './historyMigration';

/** What this upgrade reads of a version 1 message: its position, and the flag it indexed. */
type VersionOneMessage = {
  conversationId: string;
  sentAt: number;
  senderAccountId: string;
  messageId: string;
  unread: 0 | 1;
};

/** Version 1's index of the flag, which 003 drops once this upgrade has read it. */
const UNREAD_FLAG_INDEX = '[conversationId+unread]';
/** Records opened per read, to bound memory on a history with a great many unread. */
const CHUNK = 2_000;

/**
 * Keeps unread-ness out of the sealed message records. Version 1 marked a message read by
 * rewriting its record with `unread: 0`, which re-sealed it and rewrote every one of its search
 * index entries: 50,000 of them took minutes in one transaction. From here an unread incoming
 * message has a small row in `unreadMessages`, keyed by its position (conversation, time, sender,
 * id: all already in clear in the messages' order index, nothing else), and marking read deletes
 * those rows.
 *
 * The upgrade carries every flagged message over, finding them through the flag's index (keys
 * only) and opening just those records for their times. It runs before 003 drops that index.
 */
export const unreadMessagesMigration: HistoryMigration = {
  version: 2,
  stores: {
    unreadMessages: '[conversationId+sentAt+senderAccountId+messageId]',
  },
  upgrade: async (transaction) => {
    const messages = transaction.table<VersionOneMessage, [string, string]>('messages');
    const unreadMessages = transaction.table('unreadMessages');
    // One key per conversation and flag value: [conversationId, 0 or 1].
    for (const flag of (await messages.orderBy(UNREAD_FLAG_INDEX).uniqueKeys()) as unknown[]) {
      const [conversationId, unread] = Array.isArray(flag) ? (flag as unknown[]) : [];
      if (typeof conversationId !== 'string' || unread !== 1) continue;
      const keys = await messages.where(UNREAD_FLAG_INDEX).equals([conversationId, 1]).primaryKeys();
      for (let start = 0; start < keys.length; start += CHUNK) {
        const records = await messages.bulkGet(keys.slice(start, start + CHUNK));
        await unreadMessages.bulkPut(
          records.flatMap((record) =>
            record === undefined
              ? []
              : [{ conversationId: record.conversationId, sentAt: record.sentAt, senderAccountId: record.senderAccountId, messageId: record.messageId }],
          ),
        );
      }
    }
  },
};
