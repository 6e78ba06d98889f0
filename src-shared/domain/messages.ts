import type { Profile } from './profile';
import type { LinkedDirectory } from './linkedDirectory';

/**
 * What the core hands to the history store (and the command line) once a message is safely in
 * the vault's inbox. Every item is idempotent by `inboxId`: handing it over twice is harmless.
 * A message is identified by its sender and its `messageId` together: ids are chosen by senders,
 * so one sender cannot reuse another's id to overwrite that message.
 */
export type ChatMessage = {
  /** Chosen by the sender; the same on every device. */
  messageId: string;
  /** The other party's account id (for a note to self: one's own). */
  conversationId: string;
  direction: 'in' | 'out';
  senderAccountId: string;
  senderDeviceId: number;
  text: string;
  /** The sender's clock, ms since epoch. */
  sentAt: number;
  /** When the server stored it, ms since epoch. */
  serverReceivedAt: number;
  /** Read already, on another device: history restored from the account's archive (C5). */
  read?: true;
  /**
   * A message of a secret chat (C4): `conversationId` is then secretConversationId(chat id), not
   * an account's, and `peerAccountId` the other party. Only on the two devices of the chat; never archived.
   */
  secret?: { peerAccountId: string };
};

/**
 * A secret chat's conversation id: `secret:` and the chat's id. Never an account id, so no chat
 * id a peer chooses can land messages in, or delete, another conversation.
 */
export const secretConversationId = (chatId: string) => `secret:${chatId}`;
export const secretChatIdOf = (conversationId: string): string | undefined =>
  conversationId.startsWith('secret:') ? conversationId.slice('secret:'.length) : undefined;

/** A secret chat (C4) between this device and one device of `peerAccountId`. */
export type SecretChat = { chatId: string; peerAccountId: string; peerDeviceId: number; startedAt: number };

export type ReceiptType = 'delivered' | 'read';

/** Applies only to messages I sent to `fromAccountId`: a receipt from anyone else is ignored. */
export type ReceiptUpdate = {
  receiptType: ReceiptType;
  messageIds: string[];
  /** Who delivered or read them. */
  fromAccountId: string;
  at: number;
};

/**
 * Another account's identity key changed (it started over on a new device, C5): its safety
 * number with me is new (C11 shows and verifies it). Noted in the chat with it.
 */
export type IdentityChange = { accountId: string; changedAt: number };

/** I read these messages of one conversation on another of my devices (C5): mark them read, send no receipt. */
export type ReadElsewhere = { conversationId: string; messageIds: string[] };

export type InboxItem =
  | { inboxId: string; kind: 'message'; message: ChatMessage }
  | { inboxId: string; kind: 'receipt'; receipt: ReceiptUpdate }
  | { inboxId: string; kind: 'read'; read: ReadElsewhere }
  | { inboxId: string; kind: 'identity_changed'; identityChange: IdentityChange }
  /** This device was just linked (C5): the account's contacts and chat list, handed over with its keys. */
  | { inboxId: string; kind: 'directory'; directory: LinkedDirectory }
  /** A secret chat opened (by either side) or deleted (by either side: delete its history). */
  | { inboxId: string; kind: 'secret_chat'; secretChat: SecretChat; change: 'started' | 'deleted' }
  /** A2: someone's profile as they sealed it (fetched with the key they gave me): their display name and bio. */
  | { inboxId: string; kind: 'profile'; accountId: string; profile: Profile }
  /** A4: their avatar (a WebP square, base64), or null: they no longer show it to me. */
  | { inboxId: string; kind: 'avatar'; accountId: string; image: string | null }
  /** A3: their @username is now this (as the server says, after they told me it changed). */
  | { inboxId: string; kind: 'username'; accountId: string; username: string }
  /** B2: someone from the contacts I imported is on Parley (found by their number, which they let be found). */
  | { inboxId: string; kind: 'contact_joined'; accountId: string; username: string; name: string };

/** Where one of my own messages stands. Only moves forward: sent → delivered → read. */
export type MessageStatus = 'pending' | 'sent' | 'delivered' | 'read' | 'failed';
