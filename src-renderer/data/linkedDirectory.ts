import { LINKED_DIRECTORY_MAX, type LinkedDirectory } from '../../src-shared/domain/linkedDirectory';
import { emptyChat } from './chatRow';
import type { HistoryStore } from './historyStore';

/**
 * What this device hands a device it links (C5): its contacts and its chat list, the most
 * recent chats first, at most LINKED_DIRECTORY_MAX of each; secret chats stay here (C4).
 * Contacts of the chats handed over go first.
 */
export async function directoryForLink(store: HistoryStore): Promise<LinkedDirectory> {
  const { db } = store;
  return db.transaction('r', db.chats, db.contacts, async () => {
    const chats = (await db.chats.toArray())
      .filter((chat) => chat.secret === undefined)
      .sort((a, b) => b.lastActivityAt - a.lastActivityAt)
      .slice(0, LINKED_DIRECTORY_MAX);
    const order = new Map(chats.map((chat, index) => [chat.conversationId, index]));
    const contacts = (await db.contacts.toArray())
      .sort((a, b) => (order.get(a.accountId) ?? Infinity) - (order.get(b.accountId) ?? Infinity))
      .slice(0, LINKED_DIRECTORY_MAX);
    return {
      contacts: contacts.map((contact): [string, string] => [contact.accountId, contact.username]),
      chats: chats.map((chat): [string, number] => [chat.conversationId, chat.lastActivityAt]),
    };
  });
}

/**
 * On the linked device: the contacts and chat list handed over. A contact or chat already here
 * (restored from the archive meanwhile) is kept as it is; the others are added, chats empty
 * until their messages arrive. Runs in the caller's transaction over chats and contacts, or in its own.
 */
export async function applyLinkedDirectory(store: HistoryStore, directory: LinkedDirectory): Promise<void> {
  const { db } = store;
  const now = store.clock.now();
  await db.transaction('rw', db.chats, db.contacts, async () => {
    const knownContacts = await db.contacts.bulkGet(directory.contacts.map(([accountId]) => accountId));
    await db.contacts.bulkPut(
      directory.contacts
        .filter((_, index) => knownContacts[index] === undefined)
        .map(([accountId, username]) => ({ accountId, username, displayName: null, addedAt: now })),
    );
    const knownChats = await db.chats.bulkGet(directory.chats.map(([conversationId]) => conversationId));
    await db.chats.bulkPut(
      directory.chats.filter((_, index) => knownChats[index] === undefined).map(([conversationId, lastActivityAt]) => emptyChat(conversationId, lastActivityAt)),
    );
  });
}
