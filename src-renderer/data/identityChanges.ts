import type { IdentityChange } from '../../src-shared/domain/messages';
import type { HistoryStore } from './historyStore';

/**
 * A contact's identity key changed (they started over on a new device, C5): their chat, if
 * there is one, notes when, and shows it until it is dismissed. Runs in the caller's
 * transaction over chats, or in its own.
 */
export async function noteIdentityChanged(store: HistoryStore, change: IdentityChange): Promise<void> {
  const { db } = store;
  await db.transaction('rw', db.chats, async () => {
    const chat = await db.chats.get(change.accountId);
    if (!chat || (chat.identityChangedAt ?? 0) >= change.changedAt) return;
    await db.chats.put({ ...chat, identityChangedAt: change.changedAt });
  });
}

/** The person saw the notice: it goes until their identity changes again. */
export async function dismissIdentityChange(store: HistoryStore, conversationId: string): Promise<void> {
  const { db } = store;
  await db.transaction('rw', db.chats, async () => {
    const chat = await db.chats.get(conversationId);
    if (!chat?.identityChangedAt) return;
    const { identityChangedAt: _dismissed, ...rest } = chat;
    await db.chats.put(rest);
  });
}
