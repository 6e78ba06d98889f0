import type { HistoryStore } from './historyStore';
import type { ContactRecord } from './records';

/** Stores or replaces contacts (sealed: usernames never reach IndexedDB in clear), in one transaction. */
export async function saveContacts(store: HistoryStore, contacts: readonly ContactRecord[]): Promise<void> {
  await store.db.contacts.bulkPut([...contacts]);
}
