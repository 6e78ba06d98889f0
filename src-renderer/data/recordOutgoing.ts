import type { MessageStatus } from '../../src-shared/domain/messages';
import { chatWithNewMessage, chatWithStatus, emptyChat } from './chatRow';
import type { MessageKey } from './db';
import type { HistoryStore } from './historyStore';
import { keyString } from './messageRecords';
import { advanceStatus } from './messageStatus';
import { PageEditor } from './pages/pageEditor';
import type { MessageRecord } from './records';

export type OutgoingMessage = {
  /**
   * The id main gave the message when it took it (`messaging.sendText`); statuses and receipts
   * that come back name it, even those that arrive before this record is stored.
   */
  messageId: string;
  conversationId: string;
  senderDeviceId: number;
  text: string;
  sentAt: number;
};

/**
 * Stores a message I am sending, as 'pending', and shows it in its chat row, in one
 * transaction. Idempotent: recording the same message id again changes nothing.
 */
export async function recordOutgoing(store: HistoryStore, message: OutgoingMessage): Promise<void> {
  const record: MessageRecord = {
    ...message,
    senderAccountId: store.accountId,
    direction: 'out',
    serverReceivedAt: null,
    status: 'pending',
    statusAt: null,
  };
  const pages = new PageEditor(store);
  pages.prepareTerms([record]);
  const { db } = store;
  await db.transaction('rw', db.messagePages, db.chats, async () => {
    const key: MessageKey = [store.accountId, message.messageId];
    if ((await pages.find([key])).has(keyString(key))) return;
    await pages.add([record]);
    await pages.save();
    const chat = (await db.chats.get(message.conversationId)) ?? emptyChat(message.conversationId, 0);
    await db.chats.put(chatWithNewMessage(chat, record));
  });
}

/**
 * Moves my messages' status when the core reports on a send ('sent', 'failed', or 'pending'
 * again for a retry). Never backwards: see advanceStatus. Returns how many changed.
 */
export async function setOutgoingStatus(
  store: HistoryStore,
  messageIds: readonly string[],
  status: MessageStatus,
  at: number = store.clock.now(),
): Promise<number> {
  const { db } = store;
  return db.transaction('rw', db.messagePages, db.chats, async () => {
    const keys = [...new Set(messageIds)].map((messageId): MessageKey => [store.accountId, messageId]);
    const pages = new PageEditor(store);
    const records = await pages.find(keys);
    const changed: MessageRecord[] = [];
    for (const record of records.values()) {
      if (record.status === null) continue;
      const next = advanceStatus(record.status, status);
      if (next !== record.status) changed.push({ ...record, status: next, statusAt: at });
    }
    if (changed.length === 0) return 0;
    for (const record of changed) pages.replace(record);
    await pages.save();
    const conversationIds = [...new Set(changed.map((record) => record.conversationId))];
    const chats = await db.chats.bulkGet(conversationIds);
    const updatedChats = chats.flatMap((chat) => {
      if (chat === undefined) return [];
      const updated = changed.reduce(
        (current, record) => (record.conversationId === chat.conversationId ? chatWithStatus(current, record) : current),
        chat,
      );
      return updated === chat ? [] : [updated];
    });
    if (updatedChats.length > 0) await db.chats.bulkPut(updatedChats);
    return changed.length;
  });
}
