import { usernameSchema } from '../../../src-shared/domain/ids';
import type { HistoryStore } from '../historyStore';
import type { ContactRecord } from '../records';

export async function getContact(store: HistoryStore, accountId: string): Promise<ContactRecord | null> {
  return (await store.db.contacts.get(accountId)) ?? null;
}

/**
 * Every contact, by username. Usernames are sealed, so this opens every contact and sorts in
 * memory: fine for a contact list, which is small next to the message history.
 */
export async function listContacts(store: HistoryStore): Promise<ContactRecord[]> {
  const contacts = await store.db.contacts.toArray();
  return contacts.sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0));
}

/** A contact by @username as typed (case and a leading '@' do not matter), or null. */
export async function findContactByUsername(store: HistoryStore, typed: string): Promise<ContactRecord | null> {
  const parsed = usernameSchema.safeParse(typed);
  if (!parsed.success) return null;
  return (await store.db.contacts.filter((contact) => contact.username === parsed.data).first()) ?? null;
}
