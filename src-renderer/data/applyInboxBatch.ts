import { applyContactJoined, applyPeerAvatar, applyPeerProfile, applyPeerUsername } from './peerProfiles';
import { secretConversationId, type ChatMessage, type InboxItem, type ReceiptUpdate } from '../../src-shared/domain/messages';
import { chatWithNewMessage, chatWithStatus, emptyChat } from './chatRow';
import { messageKey, type MessageKey } from './db';
import type { HistoryStore } from './historyStore';
import { markReadElsewhere } from './markReadElsewhere';
import { deleteConversation, ensureSecretChat } from './secretChats';
import { noteIdentityChanged } from './identityChanges';
import { applyLinkedDirectory } from './linkedDirectory';
import { keyString, recordOfChatMessage } from './messageRecords';
import { newestSentAtOf } from './pages/newestSentAt';
import { PageEditor } from './pages/pageEditor';
import { advanceStatus } from './messageStatus';
import type { ChatRecord, MessageRecord } from './records';
import { arrivesUnread, unreadBlocksOf } from './unreadMessages';

export type InboxBatchResult = {
  /** Every item's inboxId: all are now stored or deliberately dropped, so main may remove them. */
  confirmedInboxIds: string[];
  /** Messages new to the store. */
  added: number;
  /** Messages already stored (a batch handed over again). */
  duplicates: number;
  /** Messages whose status a receipt moved forward. */
  statusChanges: number;
  /** Items refused because they contradict themselves (see isConsistent). */
  refused: number;
  /** Unread messages marked read because I read them on another device. */
  readElsewhere: number;
};

/**
 * Stores one batch from the device core in one Dexie transaction: a catch-up of thousands of
 * messages must not pay a transaction per message (ARCHITECTURE §3).
 *
 * Idempotent: a message already stored is not written again, and receipts only move a status
 * forward, so applying the same batch twice changes nothing. Items apply in order, so a receipt
 * can follow the message it is about in the same batch.
 */
export async function applyInboxBatch(store: HistoryStore, items: readonly InboxItem[]): Promise<InboxBatchResult> {
  const result: InboxBatchResult = {
    confirmedInboxIds: items.map((item) => item.inboxId),
    added: 0,
    duplicates: 0,
    statusChanges: 0,
    refused: 0,
    readElsewhere: 0,
  };
  const prepared = items.map((item) =>
    item.kind === 'message' && isConsistent(store, item.message)
      ? { item, record: recordOfChatMessage(item.message) }
      : { item, record: null },
  );
  const pages = new PageEditor(store);
  pages.prepareTerms(prepared.flatMap(({ record }) => (record ? [record] : [])));
  const { db } = store;
  await db.transaction('rw', db.messagePages, db.unreadBlocks, db.chats, db.contacts, async () => {
    const newest = await newestSentAtOf(store, prepared.flatMap(({ record }) => (record ? [record.conversationId] : [])));
    const wanted = new Map<string, MessageKey>();
    for (const { item, record } of prepared) {
      const keys =
        item.kind === 'receipt'
          ? item.receipt.messageIds.map((messageId): MessageKey => [store.accountId, messageId])
          : record !== null && mayBeStored(record, newest)
            ? [messageKey(record)]
            : [];
      for (const key of keys) wanted.set(keyString(key), key);
    }
    const known = await pages.find([...wanted.values()]);
    // Restored from the archive (C5): read on another device already, so never counted unread here.
    const arrivedRead = new Set(prepared.flatMap(({ item, record }) => (record && item.kind === 'message' && item.message.read ? [keyString(messageKey(record))] : [])));
    const unread = (record: MessageRecord) => arrivesUnread(record) && !arrivedRead.has(keyString(messageKey(record)));
    const stored = new Set(known.keys());

    const written = new Map<string, MessageRecord>();
    const added: MessageRecord[] = [];
    const statusChanged: MessageRecord[] = [];
    const remember = (record: MessageRecord) => {
      const key = keyString(messageKey(record));
      known.set(key, record);
      written.set(key, record);
    };

    for (const { item, record } of prepared) {
      if (item.kind === 'read') continue; // applied after the messages, below
      if (item.kind === 'secret_chat' || item.kind === 'identity_changed' || item.kind === 'directory' || item.kind === 'profile' || item.kind === 'avatar' || item.kind === 'username' || item.kind === 'contact_joined') continue; // applied after the messages, below
      if (item.kind === 'receipt') {
        for (const changed of applyReceipt(store, known, item.receipt)) {
          remember(changed);
          statusChanged.push(changed);
          result.statusChanges += 1;
        }
      } else if (record === null) {
        result.refused += 1;
      } else {
        const existing = known.get(keyString(messageKey(record)));
        if (existing === undefined) {
          remember(record);
          added.push(record);
          result.added += 1;
        } else {
          result.duplicates += 1;
          // My message recorded as pending here, now reported by the core as on the server.
          if (existing.direction === 'out' && existing.status !== null) {
            const status = advanceStatus(existing.status, 'sent');
            if (status !== existing.status) {
              const changed = { ...existing, status };
              remember(changed);
              statusChanged.push(changed);
            }
          }
        }
      }
    }
    if (written.size > 0) {
      for (const [key, record] of written) if (stored.has(key)) pages.replace(record);
      // An added message whose status a later receipt in the batch moved is written as it ended.
      await pages.add(added.map((record) => written.get(keyString(messageKey(record)))!));
      await pages.save();
      const unreadBlocks = unreadBlocksOf(added.filter(unread));
      if (unreadBlocks.length > 0) await db.unreadBlocks.bulkPut(unreadBlocks);
      await updateChats(store, added, statusChanged, unread);
    }
    // Secret chats (C4): rows marked (opened here or by the first message), or deleted whole; a contact's new safety number noted.
    for (const item of items) {
      if (item.kind === 'secret_chat' && item.change === 'deleted') await deleteConversation(store, secretConversationId(item.secretChat.chatId));
      else if (item.kind === 'secret_chat') await ensureSecretChat(store, secretConversationId(item.secretChat.chatId), item.secretChat.peerAccountId);
      else if (item.kind === 'message' && item.message.secret) await ensureSecretChat(store, item.message.conversationId, item.message.secret.peerAccountId);
      else if (item.kind === 'identity_changed') await noteIdentityChanged(store, item.identityChange);
      else if (item.kind === 'directory') await applyLinkedDirectory(store, item.directory);
      else if (item.kind === 'profile') await applyPeerProfile(store, item.accountId, item.profile);
      else if (item.kind === 'avatar') await applyPeerAvatar(store, item.accountId, item.image);
      else if (item.kind === 'username') await applyPeerUsername(store, item.accountId, item.username);
      else if (item.kind === 'contact_joined') await applyContactJoined(store, item.accountId, item.username);
    }
    // After the messages: a read on another device may be about a message of this same batch.
    for (const [conversationId, messageIds] of readsByConversation(items)) {
      result.readElsewhere += await markReadElsewhere(store, conversationId, messageIds);
    }
  });
  return result;
}

/** The batch's reads on my other devices, per conversation. */
function readsByConversation(items: readonly InboxItem[]): Map<string, Set<string>> {
  const reads = new Map<string, Set<string>>();
  for (const item of items) {
    if (item.kind !== 'read') continue;
    const ids = reads.get(item.read.conversationId) ?? new Set<string>();
    for (const messageId of item.read.messageIds) ids.add(messageId);
    reads.set(item.read.conversationId, ids);
  }
  return reads;
}

/**
 * Whether a message may already be stored, so that its key must be looked up. A message handed
 * over again (a batch the core repeats, my own message recorded as pending and now reported sent)
 * comes with the conversation and sentAt it was stored with, so one sent after its conversation's
 * newest stored message cannot be; a copy later in the same batch is caught by the batch's own
 * map. Each lookup is an IndexedDB read that costs more the larger the history (a batch of 1,000
 * new messages paid 60–90 µs a key at 100,000–1,000,000 stored), and new messages nearly always
 * come after what is stored. Equal sentAt is looked up: the position's tie-break is not read here.
 * What this gives up: a sender reusing one of its own ids for a later message (not a copy: a
 * different sentAt) has it stored beside the first instead of dropped; its own messages only.
 */
function mayBeStored(record: MessageRecord, newestSentAt: ReadonlyMap<string, number>): boolean {
  const newest = newestSentAt.get(record.conversationId);
  return newest !== undefined && record.sentAt <= newest;
}

/**
 * A receipt from account X is about my messages to X only: anyone else naming my message ids,
 * or X naming a message I sent to someone else, changes nothing.
 */
function applyReceipt(store: HistoryStore, known: Map<string, MessageRecord>, receipt: ReceiptUpdate): MessageRecord[] {
  const changed: MessageRecord[] = [];
  for (const messageId of new Set(receipt.messageIds)) {
    const record = known.get(keyString([store.accountId, messageId]));
    if (record === undefined || record.direction !== 'out' || record.status === null) continue;
    if (record.conversationId !== receipt.fromAccountId) continue;
    const status = advanceStatus(record.status, receipt.receiptType);
    if (status !== record.status) changed.push({ ...record, status, statusAt: receipt.at });
  }
  return changed;
}

/** A message's direction must agree with its sender: only I send 'out', only others send 'in'. */
function isConsistent(store: HistoryStore, message: ChatMessage): boolean {
  return (message.direction === 'out') === (message.senderAccountId === store.accountId);
}

/** Brings the chat rows of every conversation the batch touched up to date, in the same transaction. */
async function updateChats(
  store: HistoryStore,
  added: MessageRecord[],
  statusChanged: MessageRecord[],
  unread: (record: MessageRecord) => boolean,
): Promise<void> {
  const conversationIds = [...new Set([...added, ...statusChanged].map((record) => record.conversationId))];
  const existing = await store.db.chats.bulkGet(conversationIds);
  const chats = new Map<string, ChatRecord>();
  conversationIds.forEach((conversationId, index) => {
    const chat = existing[index];
    if (chat) chats.set(conversationId, chat);
  });
  const changed = new Set<string>();
  for (const record of added) {
    const chat = chats.get(record.conversationId) ?? emptyChat(record.conversationId, 0);
    chats.set(record.conversationId, chatWithNewMessage(chat, record, unread(record)));
    changed.add(record.conversationId);
  }
  for (const record of statusChanged) {
    const chat = chats.get(record.conversationId);
    if (chat === undefined) continue;
    const updated = chatWithStatus(chat, record);
    if (updated !== chat) {
      chats.set(record.conversationId, updated);
      changed.add(record.conversationId);
    }
  }
  const rows = [...chats.values()].filter((chat) => changed.has(chat.conversationId));
  if (rows.length > 0) await store.db.chats.bulkPut(rows);
}
