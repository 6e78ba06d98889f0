import type { MessageStatus } from '../../src-shared/domain/messages';

/**
 * The records the history store keeps. Only the fields the schema indexes are stored in clear
 * (ids, times and search-term hashes); the encryption middleware seals the rest.
 */

/** Where a message sits in its conversation: the order the conversation view shows. */
export type MessagePosition = {
  sentAt: number;
  senderAccountId: string;
  messageId: string;
};

export type MessageRecord = MessagePosition & {
  /** The other party's account id (for a note to self: one's own). */
  conversationId: string;
  direction: 'in' | 'out';
  senderDeviceId: number;
  text: string;
  /** When the server stored it; null for my own message until the server has it. */
  serverReceivedAt: number | null;
  /** Where my own message stands; null for incoming messages. */
  status: MessageStatus | null;
  /** When status last moved (a receipt's time), null until it has. */
  statusAt: number | null;
  /** Keyed hashes of the text's words and prefixes (see search/searchTerms.ts), each with sentAt. */
  datedSearchTerms: DatedSearchTerm[];
};

/**
 * One search index entry: a term's keyed hash and the message's sentAt. The index sorts a term's
 * messages by time (ties by primary key, as the conversation order does), so a search reads the
 * newest matches first and stops when it has enough. sentAt is in clear anyway (conversation
 * order index); the pair adds nothing an attacker could not already join.
 */
export type DatedSearchTerm = [term: string, sentAt: number];

/** A message as the UI sees it: the search hashes stay inside the store. */
export type HistoryMessage = Omit<MessageRecord, 'datedSearchTerms'>;

/**
 * An incoming message I have not read yet, kept apart from its sealed message record so that
 * marking it read deletes this small row instead of re-sealing the message and rewriting its
 * search index entries. Holds only the message's position, which the messages' own index already
 * stores in clear; the row's key is that position, so a conversation's unread messages are one
 * key range, in display order.
 */
export type UnreadMessageRecord = MessagePosition & {
  conversationId: string;
};

/** What a chat row shows of the conversation's newest message. */
export type LastMessageSummary = MessagePosition & {
  direction: 'in' | 'out';
  /** The start of the text, on one line. */
  preview: string;
  status: MessageStatus | null;
};

export type ChatRecord = {
  /** The other party's account id, as in MessageRecord.conversationId. */
  conversationId: string;
  /** Orders the chat list; see chatRow.ts for why it is not simply the newest sentAt. */
  lastActivityAt: number;
  unreadCount: number;
  lastMessage: LastMessageSummary | null;
  /** Text typed in the composer and not sent yet. */
  draft: string;
};

export type ContactRecord = {
  accountId: string;
  username: string;
  displayName: string | null;
  addedAt: number;
};

/** Values a setting may hold: whatever survives the payload codec. */
export type SettingValue =
  | string
  | number
  | boolean
  | null
  | Uint8Array
  | SettingValue[]
  | { [field: string]: SettingValue };

export type SettingRecord = {
  name: string;
  value: SettingValue;
};

/** The one row that proves, at open, that the storage key is the one this history was made with. */
export type KeyCheckRecord = {
  id: 'storageKey';
  createdAt: number;
};
