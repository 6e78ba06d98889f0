import type { Profile } from '../../src-shared/domain/profile';
import { emptyChat } from './chatRow';
import type { HistoryStore } from './historyStore';

/**
 * Someone's profile as they sealed it (A2): their display name (shown instead of their
 * @username everywhere) and bio, on their contact. One not known yet gets a contact whose
 * username the contact resolver fills in. Runs in the caller's transaction over contacts, or its own.
 */
export async function applyPeerProfile(store: HistoryStore, accountId: string, profile: Profile): Promise<void> {
  const { db } = store;
  await db.transaction('rw', db.contacts, async () => {
    const contact = (await db.contacts.get(accountId)) ?? { accountId, username: '', displayName: null, addedAt: store.clock.now() };
    await db.contacts.put({ ...contact, displayName: profile.displayName, bio: profile.bio });
  });
}

/** Someone's avatar (A4) on their contact, or gone from it (null: they no longer show it to me). */
export async function applyPeerAvatar(store: HistoryStore, accountId: string, image: string | null): Promise<void> {
  const { db } = store;
  await db.transaction('rw', db.contacts, async () => {
    const { avatar: _dropped, ...contact } = (await db.contacts.get(accountId)) ?? { accountId, username: '', displayName: null, addedAt: store.clock.now() };
    await db.contacts.put(image === null ? contact : { ...contact, avatar: image });
  });
}

/** Someone's new @username (A3), as the server told my main after they said it changed. */
export async function applyPeerUsername(store: HistoryStore, accountId: string, username: string): Promise<void> {
  const { db } = store;
  await db.transaction('rw', db.contacts, async () => {
    const contact = (await db.contacts.get(accountId)) ?? { accountId, username: '', displayName: null, addedAt: store.clock.now() };
    await db.contacts.put({ ...contact, username });
  });
}

/** B2: someone I imported is on Parley: their chat shows in the list, saying they joined. */
export async function applyContactJoined(store: HistoryStore, accountId: string, username: string): Promise<void> {
  const { db } = store;
  await db.transaction('rw', db.chats, db.contacts, async () => {
    const contact = (await db.contacts.get(accountId)) ?? { accountId, username, displayName: null, addedAt: store.clock.now() };
    await db.contacts.put({ ...contact, username });
    const chat = (await db.chats.get(accountId)) ?? emptyChat(accountId, store.clock.now());
    await db.chats.put({ ...chat, joinedAt: store.clock.now() });
  });
}
