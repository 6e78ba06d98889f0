import Dexie from 'dexie';
import { secretChatIdOf } from '../../src-shared/domain/messages';
import { emptyChat } from './chatRow';
import type { HistoryStore } from './historyStore';
import { unreadInConversation } from './unreadMessages';

/**
 * A secret chat's row (C4), keyed by its conversation id (secretConversationId) and marked with
 * the other party. Made when this device opens one, or hears of one (its start or its first
 * message). Only a secret conversation id is taken, and a row is never moved to another party.
 * Runs in the caller's transaction over chats, or in its own.
 */
export async function ensureSecretChat(store: HistoryStore, conversationId: string, peerAccountId: string): Promise<void> {
  if (secretChatIdOf(conversationId) === undefined) throw new RangeError('not a secret chat’s conversation id');
  const { db } = store;
  await db.transaction('rw', db.chats, async () => {
    const chat = await db.chats.get(conversationId);
    if (chat?.secret !== undefined) return;
    await db.chats.put({ ...(chat ?? emptyChat(conversationId, store.clock.now())), secret: { peerAccountId } });
  });
}

/**
 * Deletes a conversation and everything of it on this device: its row, its pages (the
 * messages and their search terms) and its unread blocks, in one transaction. For a secret chat
 * deleted on either side (C4).
 */
export async function deleteConversation(store: HistoryStore, conversationId: string): Promise<void> {
  const { db } = store;
  await db.transaction('rw', db.chats, db.messagePages, db.unreadBlocks, async () => {
    await db.chats.delete(conversationId);
    await db.messagePages
      .where('[conversationId+firstSentAt+firstSenderAccountId+firstMessageId]')
      .between([conversationId], [conversationId, Dexie.maxKey], true, true)
      .delete();
    await unreadInConversation(store, conversationId).delete();
  });
}
