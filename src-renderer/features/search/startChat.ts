import { ensureChat, getContact, saveContacts, type HistoryStore } from '../../data';

/** Keeps a person found by @username as a contact and makes sure their chat exists. */
export async function startChat(store: HistoryStore, person: { accountId: string; username: string }): Promise<void> {
  const known = await getContact(store, person.accountId);
  if (known === null || known.username !== person.username) {
    await saveContacts(store, [
      { accountId: person.accountId, username: person.username, displayName: known?.displayName ?? null, addedAt: known?.addedAt ?? store.clock.now() },
    ]);
  }
  await ensureChat(store, person.accountId);
}
