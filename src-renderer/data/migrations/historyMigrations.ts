import { initialMigration } from './001-initial';
import { unreadMessagesMigration } from './002-unread-messages';
import { dropUnreadFlagMigration } from './003-drop-unread-flag';
import { datedSearchTermsMigration } from './004-dated-search-terms';
import { messagePagesMigration } from './005-message-pages';
import type { HistoryMigration } from './historyMigration';

/**
 * Every version of the history schema, oldest first. Append only: a released version is never
 * edited, because users' databases were built by it (CONVENTIONS habit 9). Version numbers
 * must grow; Dexie does not need them consecutive.
 */
export const historyMigrations: readonly HistoryMigration[] = [
  initialMigration,
  unreadMessagesMigration,
  dropUnreadFlagMigration,
  datedSearchTermsMigration,
  messagePagesMigration,
];
