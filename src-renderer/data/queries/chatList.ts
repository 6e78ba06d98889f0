import type { HistoryStore } from '../historyStore';
import type { ChatRecord, ContactRecord } from '../records';

export type ChatListEntry = ChatRecord & {
  /** The other party, when known; the UI falls back to the account id. */
  contact: ContactRecord | null;
};

/** Every chat, most recent activity first, each with its contact. */
export async function listChats(store: HistoryStore): Promise<ChatListEntry[]> {
  const chats = await store.db.chats.orderBy('lastActivityAt').reverse().toArray();
  const contacts = await store.db.contacts.bulkGet(chats.map(partyOf));
  return chats.map((chat, index) => ({ ...chat, contact: contacts[index] ?? null }));
}

export async function getChat(store: HistoryStore, conversationId: string): Promise<ChatListEntry | null> {
  const chat = await store.db.chats.get(conversationId);
  if (chat === undefined) return null;
  return { ...chat, contact: (await store.db.contacts.get(partyOf(chat))) ?? null };
}

/** The account on the other side of a chat: the conversation's, or a secret chat's peer. */
export const partyOf = (chat: Pick<ChatRecord, 'conversationId' | 'secret'>) => chat.secret?.peerAccountId ?? chat.conversationId;

/** Unread incoming messages over all chats, for the window title and the tray. */
export async function countAllUnread(store: HistoryStore): Promise<number> {
  const chats = await store.db.chats.toArray();
  return chats.reduce((total, chat) => total + chat.unreadCount, 0);
}
