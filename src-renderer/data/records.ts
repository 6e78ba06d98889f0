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
};

/** A message as the UI sees it: as it is stored, inside its page. */
export type HistoryMessage = MessageRecord;

/**
 * Up to PAGE_MESSAGES consecutive messages of one conversation, stored as one record (see
 * pages/pageLayout.ts for why). Pages of a conversation never overlap: each holds the messages
 * from its first position up to the next page's first. The clear fields are ids, times, counts
 * and a filter of keyed hashes, as the per-message indexes held before; the messages are sealed.
 */
export type MessagePageRecord = {
  /** Random; a page keeps it while its messages change. */
  pageId: string;
  conversationId: string;
  /** The position of the page's oldest message: the conversation order index. */
  firstSentAt: number;
  firstSenderAccountId: string;
  firstMessageId: string;
  /** The newest message's sentAt: search reads pages newest first. */
  lastSentAt: number;
  /** How many messages the page holds: a conversation's length is read from keys alone. */
  messageCount: number;
  /** keyString([senderAccountId, messageId]) of each message (multi-entry): a message found by its key. */
  messageKeys: string[];
  /** The page's search terms (pages/termFilter.ts); an index key, so search reads it without opening the page. */
  termFilter: Uint8Array;
  /** Sealed: the messages, in display order. */
  messages: MessageRecord[];
};

/**
 * Incoming messages I have not read yet, of one conversation, that arrived in one write (a batch
 * from the core, or one live message). Kept apart from the pages so that marking read deletes
 * these rows instead of re-sealing pages; one row per batch, not per message, because IndexedDB's
 * cost is per record (pages/pageLayout.ts). The key is the conversation and the position its
 * first message had when the row was written (kept when some of its messages are marked read),
 * so a conversation's rows are one key range; the count is clear so unread messages are counted
 * from keys alone; which messages they are is sealed.
 */
export type UnreadBlockRecord = {
  conversationId: string;
  firstSentAt: number;
  firstSenderAccountId: string;
  firstMessageId: string;
  count: number;
  /** The unread messages, in display order. */
  positions: MessagePosition[];
};

/** What a chat row shows of the conversation's newest message. */
export type LastMessageSummary = MessagePosition & {
  direction: 'in' | 'out';
  /** The start of the text, on one line. */
  preview: string;
  status: MessageStatus | null;
};

export type ChatRecord = {
  /** The other party's account id, as in MessageRecord.conversationId (a secret chat's id for one). */
  conversationId: string;
  /** Orders the chat list; see chatRow.ts for why it is not simply the newest sentAt. */
  lastActivityAt: number;
  unreadCount: number;
  lastMessage: LastMessageSummary | null;
  /** Text typed in the composer and not sent yet. */
  draft: string;
  /** A secret chat (C4): `conversationId` is the chat's id, and this the other party. */
  secret?: { peerAccountId: string };
  /** The other party's identity key changed then (a new safety number); shown until dismissed. */
  identityChangedAt?: number;
  /** B2: someone from my imported contacts joined Parley (the chat list says so until a message comes). */
  joinedAt?: number;
};

export type ContactRecord = {
  accountId: string;
  username: string;
  /** A2: the name they gave themselves in their profile (sealed end to end); null until their profile came. */
  displayName: string | null;
  /** A2: their profile's bio. */
  bio?: string;
  /** A4: their avatar (a 256-pixel WebP square, base64), while they let me see it. */
  avatar?: string;
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
