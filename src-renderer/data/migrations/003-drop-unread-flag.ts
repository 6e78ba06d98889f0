import type { HistoryMigration } from './historyMigration';

/**
 * Drops version 1's `[conversationId+unread]` index, now that 002 has carried the flags it held
 * over to `unreadMessages`. A separate version because Dexie removes a version's dropped indexes
 * before running its upgrade, and 002's upgrade reads this one.
 *
 * Messages written before version 2 keep an `unread` field in clear on disk (bound into their
 * seal, so the record still opens). Nothing reads it, and it is not rewritten: rewriting every
 * old message to drop it would cost what 002 exists to avoid. It only ever says what version 1
 * already stored in clear; `historyMessageOf` leaves it out of what the UI sees.
 */
export const dropUnreadFlagMigration: HistoryMigration = {
  version: 3,
  stores: {
    messages: '[senderAccountId+messageId], [conversationId+sentAt+senderAccountId+messageId], *searchTerms',
  },
};
