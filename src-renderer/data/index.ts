/**
 * The renderer's history store (ARCHITECTURE §2): chats, messages, contacts and a settings cache
 * in IndexedDB, every record sealed under the storage key main hands over at unlock. Components
 * read it through the query functions wrapped in useLiveQuery; the bridge feeds it batches.
 */
export { openHistoryStore, historyDatabaseName, type HistoryStore, type OpenHistoryOptions } from './historyStore';
export { deleteHistoryStore } from './deleteHistoryStore';
export { WrongStorageKeyError, SealedRecordError } from './historyErrors';
export type {
  ChatRecord,
  ContactRecord,
  HistoryMessage,
  LastMessageSummary,
  MessagePosition,
  SettingValue,
} from './records';

export { applyInboxBatch, type InboxBatchResult } from './applyInboxBatch';
export { recordOutgoing, setOutgoingStatus, type OutgoingMessage } from './recordOutgoing';
export {
  markConversationRead,
  runDirectly,
  MARK_READ_CHUNK,
  type HistoryTaskRunner,
  type MessagesRead,
} from './markConversationRead';
export { ensureChat } from './ensureChat';
export { ensureSecretChat, deleteConversation } from './secretChats';
export { noteIdentityChanged, dismissIdentityChange } from './identityChanges';
export { directoryForLink, applyLinkedDirectory } from './linkedDirectory';
export { saveDraft } from './saveDraft';
export { saveContacts } from './saveContacts';
export { readSetting, writeSetting, deleteSetting } from './settingsCache';

export { listChats, getChat, countAllUnread, partyOf, type ChatListEntry } from './queries/chatList';
export {
  listMessagesPage,
  getMessage,
  countMessages,
  countUnread,
  type MessagePage,
  type MessagePageRequest,
} from './queries/conversationMessages';
export { searchMessages, type MessageSearchRequest } from './queries/searchMessages';
export { getContact, listContacts, findContactByUsername } from './queries/contacts';
