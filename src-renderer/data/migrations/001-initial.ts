import type { HistoryMigration } from './historyMigration';

/**
 * The first schema. Index only ids, times, the unread flag and search hashes: whatever is
 * indexed is stored in clear, everything else is sealed.
 *
 * - messages: identified by sender and sender-chosen id together, so one sender cannot
 *   overwrite another's message by reusing its id. The long compound index gives every message
 *   a unique place in its conversation, so pages can start exactly after the last one shown.
 * - chats: ordered by last activity for the chat list.
 * - keyCheck: one row sealed at creation; opening it proves the storage key is the right one.
 */
export const initialMigration: HistoryMigration = {
  version: 1,
  stores: {
    chats: 'conversationId, lastActivityAt',
    messages:
      '[senderAccountId+messageId], [conversationId+sentAt+senderAccountId+messageId], [conversationId+unread], *searchTerms',
    contacts: 'accountId',
    settings: 'name',
    keyCheck: 'id',
  },
};
