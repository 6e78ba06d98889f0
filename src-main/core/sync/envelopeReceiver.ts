import type { Clock, Logger } from '../../../src-shared/domain/runtime';
import { LIMITS } from '../../../src-shared/domain/limits';
import { secretConversationId, type InboxItem, type ReceiptUpdate, type SecretChat } from '../../../src-shared/domain/messages';
import type { Content } from '../../../src-shared/protocol/content';
import type { Envelope } from '../../../src-shared/protocol/frames';
import type { TypingChange } from '../../../src-shared/ipc/messaging';
import { decodeContent } from '../signal/contentCodec';
import { decryptEnvelope } from '../signal/messageCipher';
import { protocolStores } from '../signal/protocolStores';
import { Emitter } from '../util/emitter';
import type { SerialQueue } from '../util/serialQueue';
import type { Vault } from '../vault/vault';
import type { VaultTransaction } from '../vault/vaultTransaction';
import { rememberSendingDevice } from './deviceDirectory';
import type { LocalDevice } from './localDevice';
import type { MessageProbe } from './messageProbe';
import type { ArchiveStaging } from '../archive/accountArchive';
import {
  isPeerOf,
  openChatsWith,
  putSecretChat,
  removeSecretChat,
  SECRET_CHATS_PER_PEER,
  secretChatOf,
  wasDeleted,
} from '../secret/secretChats';
import { enqueueOutgoing } from './outboxEntry';
import { inboxItemFor } from './inboxItemFor';
import type { SyncedPreferences } from '../preferences/syncedPreferences';
import type { Profiles } from '../accountProfile/profiles';

/**
 * Processed envelope ids are kept (for de-duplication) with the day they were processed, not the
 * moment: the vault's clear-text ordering column then says little about when messages came.
 */
export const dayOf = (time: number) => Math.floor(time / 86_400_000);

/** Envelopes decrypted per vault transaction: one commit, one ack frame per batch. */
const BATCH = 1_000;

export type ReceiverOptions = {
  vault: Vault;
  cryptoQueue: SerialQueue;
  local: LocalDevice;
  clock: Clock;
  logger: Logger;
  /** Acks envelopes to the server; false when the socket is down (they come again, and are deduplicated). */
  ack: (envelopeIds: string[]) => boolean;
  /** Where messages received are staged for the account's archive, in the batch's transaction. */
  archive?: ArchiveStaging;
  /** The settings synced between my devices: whom I blocked (B3), and where my other devices' changes go. */
  preferences?: PreferencesInBatch;
  /** A2: where the profile keys people give me are kept. */
  profiles?: Pick<Profiles, 'stageKey'>;
  probe?: MessageProbe;
};

/**
 * Profile and avatar keys in a batch (A2, A4): whose new keys were kept, and whether my own
 * profile or avatar changed elsewhere (the avatar's key, or null when it was removed); and who
 * said their username changed (A3; my own account: another device of mine changed it).
 */
export type ProfileKeysReceived = { peers: string[]; own: boolean; avatarPeers: string[]; ownAvatar?: { key: string | null }; usernames: string[] };

/** What the receiver needs of SyncedPreferences. */
export type PreferencesInBatch = Pick<SyncedPreferences, 'isBlocked' | 'merge'>;

/** What one decrypted batch committed, to be announced once it is on disk. */
type CommittedBatch = {
  envelopes: number;
  ackIds: string[];
  durable: Promise<void>;
  inboxChanged: boolean;
  receipts: ReceiptUpdate[];
  typing: TypingChange[];
  receiptsOwed: boolean;
  /** Another of my devices changed the synced settings. */
  preferencesChanged: boolean;
  profileKeys: ProfileKeysReceived;
  /** For the probe: the messages of the batch, and when the batch arrived and was decrypted. */
  messageIds: string[];
  arrivedAt: number;
  decryptedAt: number;
};

/**
 * Turns queued envelopes into inbox items without ever losing one (ARCHITECTURE.md §2): a batch
 * is decrypted into a staged vault transaction; the new session states, the inbox items, the
 * processed envelope ids and the delivery receipts owed commit together; only once that commit is
 * on disk is the batch acked and announced. The next batch decrypts while the disk works (the
 * vault's group commit), so a catch-up waits for the disk about once per batch in flight, not
 * once per batch in turn. A crash before the commit repeats the work; a repeat after it is
 * recognised by envelope id and only acked again.
 */
export class EnvelopeReceiver {
  /** New items are in the inbox (read them with `Inbox.read`). */
  readonly onInboxChanged = new Emitter<void>();
  /** Receipts were queued in the outbox and want sending. */
  readonly onOutboxChanged = new Emitter<void>();
  /** Receipts for my messages, once committed. */
  readonly onReceipts = new Emitter<ReceiptUpdate[]>();
  /** Typing indicators (C8), once committed; oldest first. They never enter the inbox. */
  readonly onTyping = new Emitter<TypingChange[]>();
  /** Another of my devices changed the synced settings (B3, F3); the change is committed. */
  readonly onPreferencesChanged = new Emitter<void>();
  /** A2: people gave me (new) profile keys, or another of my devices changed my profile; committed. */
  readonly onProfileKeys = new Emitter<ProfileKeysReceived>();
  /** A batch has been committed and acked; the number of envelopes in it. */
  readonly onBatchProcessed = new Emitter<number>();
  /**
   * A batch could not be committed (disk full, vault error). Nothing of it was acked; the
   * owner must reconnect so the server sends it again.
   */
  readonly onBatchFailed = new Emitter<void>();
  /**
   * The vault's disk refused an fsync (see Vault.failed): nothing can be acked any more, and a
   * reconnect would only fail again. The owner must stop and tell the user to restart.
   */
  readonly onDiskFailed = new Emitter<void>();

  private readonly waiting: Envelope[] = [];
  private diskFailed = false;
  /** When the envelopes now waiting began to arrive (for the probe). */
  private waitingSince = 0;
  private draining: Promise<void> | undefined;

  constructor(private readonly options: ReceiverOptions) {}

  receive(envelopes: Envelope[]) {
    if (this.waiting.length === 0) this.waitingSince = this.options.probe?.now() ?? 0;
    this.waiting.push(...envelopes);
    // Start on the next turn, so frames that arrived in the same read form one batch.
    this.draining ??= new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.drain())
      .finally(() => {
        this.draining = undefined;
      });
    return this.draining;
  }

  /** Resolves once every envelope handed in so far is committed. */
  async idle() {
    while (this.draining) await this.draining;
  }

  private async drain() {
    const announcing: Array<Promise<void>> = [];
    for (;;) {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0, BATCH);
        const arrivedAt = this.waitingSince;
        try {
          const committed = await this.options.cryptoQueue.run(() => this.decryptBatch(batch, arrivedAt));
          announcing.push(this.announceWhenDurable(committed));
        } catch (error) {
          this.fail(error);
        }
      }
      if (announcing.length === 0) return;
      // Envelopes that arrive while the last batches reach the disk are taken on the next turn.
      await Promise.all(announcing.splice(0));
    }
  }

  /** Everything not yet acked will come again after a reconnect, in order. */
  private fail(error: unknown) {
    this.waiting.length = 0;
    this.options.logger.error('receive.batch_failed', { reason: error instanceof Error ? error.name : 'unknown' });
    // The commit may have happened before the failure: let readers look at the inbox again.
    this.onInboxChanged.emit();
    if (!this.options.vault.failed) this.onBatchFailed.emit();
    else if (!this.diskFailed) {
      this.diskFailed = true; // once, however many batches were in flight
      this.onDiskFailed.emit();
    }
  }

  private async announceWhenDurable(committed: CommittedBatch) {
    try {
      await committed.durable;
    } catch (error) {
      this.fail(error);
      return;
    }
    this.options.logger.debug('receive.batch_committed', { envelopes: committed.envelopes });
    const probe = this.options.probe;
    if (probe && committed.messageIds.length > 0) {
      probe.record('arrived', committed.messageIds, committed.arrivedAt);
      probe.record('decrypted', committed.messageIds, committed.decryptedAt);
    }
    const ids = committed.ackIds;
    for (let start = 0; start < ids.length; start += LIMITS.ackBatchMax) {
      this.options.ack(ids.slice(start, start + LIMITS.ackBatchMax));
    }
    if (committed.inboxChanged) this.onInboxChanged.emit();
    if (committed.receipts.length > 0) this.onReceipts.emit(committed.receipts);
    if (committed.typing.length > 0) this.onTyping.emit(committed.typing);
    if (committed.receiptsOwed) this.onOutboxChanged.emit();
    if (committed.preferencesChanged) this.onPreferencesChanged.emit();
    const keys = committed.profileKeys;
    if (keys.peers.length > 0 || keys.own || keys.avatarPeers.length > 0 || keys.ownAvatar || keys.usernames.length > 0) this.onProfileKeys.emit(keys);
    this.onBatchProcessed.emit(committed.envelopes);
    if (probe && committed.messageIds.length > 0) probe.record('durable', committed.messageIds, probe.now());
  }

  private async decryptBatch(batch: Envelope[], arrivedAt: number): Promise<CommittedBatch> {
    const { vault, clock, logger, local, preferences } = this.options;
    const transaction = vault.transaction();
    const stores = protocolStores(transaction, () => clock.now());
    const deliveredBySender = new Map<string, string[]>();
    let inboxChanged = false;
    const receipts: ReceiptUpdate[] = [];
    const typing: TypingChange[] = [];
    const messageIds: string[] = [];
    let preferencesChanged = false;
    const profileKeys: ProfileKeysReceived = { peers: [], own: false, avatarPeers: [], usernames: [] };
    // One query for the whole batch's de-duplication instead of one per envelope.
    transaction.prefetch('processed', batch.map((envelope) => envelope.id));

    for (const envelope of batch) {
      if (transaction.get('processed', envelope.id)) continue;
      let content: Content;
      try {
        content = decodeContent(await decryptEnvelope(stores, local.address, envelope));
      } catch (error) {
        // A fault of this device (disk, vault) fails the whole batch: nothing acked, all sent again.
        if (stores.localFault.error !== undefined) throw stores.localFault.error;
        // Undecryptable or malformed: it can never succeed, so it is recorded and acked, not retried.
        logger.warn('receive.undecryptable', { reason: error instanceof Error ? error.name : 'unknown' });
        transaction.put('processed', envelope.id, Buffer.of(0), dayOf(clock.now()));
        continue;
      }
      const fromSelf = envelope.sourceAccountId === local.accountId;
      // B3: whatever a blocked account sends is dropped unseen: no inbox, no receipt, no typing.
      // Decrypted all the same (the session must move on) and acked, so their queue drains.
      if (!fromSelf && preferences?.isBlocked(envelope.sourceAccountId)) {
        if (!envelope.onlineOnly) transaction.put('processed', envelope.id, Buffer.of(1), dayOf(clock.now()));
        continue;
      }
      if (!fromSelf || envelope.sourceDeviceId !== local.deviceId) {
        rememberSendingDevice(transaction, envelope.sourceAccountId, envelope.sourceDeviceId);
      }
      // Only my own devices may change my settings.
      if (content.kind === 'preferences_sync' && fromSelf && preferences?.merge(transaction, content.changes, envelope.sourceDeviceId)) {
        preferencesChanged = true;
      }
      if (content.kind === 'username_changed') profileKeys.usernames.push(envelope.sourceAccountId);
      if ((content.kind === 'profile_key' || content.kind === 'avatar_key') && this.options.profiles?.stageKey(transaction, envelope.sourceAccountId, fromSelf, content, profileKeys)) {
        inboxChanged = true;
      }
      // The decrypt advanced the session: a typing indicator is reported only after the commit below.
      if (content.kind === 'typing' && envelope.sourceAccountId !== local.accountId) {
        typing.push({ accountId: envelope.sourceAccountId, typing: content.typing });
      }
      const item = isSecretContent(content) ? secretChatItemFor(transaction, envelope, content, local) : inboxItemFor(envelope, content, local);
      if (item) {
        transaction.putJson('inbox', item.inboxId, item);
        inboxChanged = true;
        if (item.kind === 'receipt') receipts.push(item.receipt);
        if (item.kind === 'message') messageIds.push(item.message.messageId);
        // What my other devices sent they archived themselves; a secret chat is never archived (C4).
        const secret = item.kind === 'message' && item.message.secret !== undefined;
        if (item.kind === 'message' && !secret && envelope.sourceAccountId !== local.accountId) this.options.archive?.stage(transaction, item.message);
        // A secret message gets no delivery receipt: it would reach the sender's other devices.
        if (item.kind === 'message' && !secret && item.message.direction === 'in' && envelope.sourceAccountId !== local.accountId) {
          const owed = deliveredBySender.get(envelope.sourceAccountId) ?? [];
          owed.push(item.message.messageId);
          deliveredBySender.set(envelope.sourceAccountId, owed);
        }
      }
      // An online-only envelope never comes again: nothing to de-duplicate.
      if (!envelope.onlineOnly) transaction.put('processed', envelope.id, Buffer.of(1), dayOf(clock.now()));
    }
    // A contact's new identity (a fresh start) was noted in the inbox by the identity store.
    if (stores.identity.changes > 0) inboxChanged = true;
    queueDeliveryReceipts(transaction, deliveredBySender, clock.now());
    const durable = transaction.commit();
    durable.catch(() => undefined); // awaited in announceWhenDurable
    return {
      envelopes: batch.length,
      ackIds: batch.filter((envelope) => !envelope.onlineOnly).map((envelope) => envelope.id),
      durable,
      inboxChanged,
      receipts,
      typing,
      receiptsOwed: deliveredBySender.size > 0,
      preferencesChanged,
      profileKeys,
      messageIds,
      arrivedAt,
      decryptedAt: this.options.probe?.now() ?? 0,
    };
  }
}

type SecretContent = Extract<Content, { kind: 'secret_start' | 'secret_text' | 'secret_delete' }>;
const isSecretContent = (content: Content): content is SecretContent =>
  content.kind === 'secret_start' || content.kind === 'secret_text' || content.kind === 'secret_delete';

/**
 * C4: a secret chat is between the device that opened it and the one device it reached. Only
 * that other device may speak in it or delete it; my own account never opens one with me, and
 * what names a chat of another pair of devices is dropped. A message for a chat this device does
 * not know opens it (its `secret_start` may have been lost to a crash on the sending side).
 */
function secretChatItemFor(transaction: VaultTransaction, envelope: Envelope, content: SecretContent, local: LocalDevice): InboxItem | undefined {
  if (envelope.sourceAccountId === local.accountId) return undefined;
  const known = secretChatOf(transaction, content.chatId);
  if (known && !isPeerOf(known, envelope.sourceAccountId, envelope.sourceDeviceId)) return undefined;
  // Deleted here (or by the peer): what was still on its way does not bring it back.
  if (!known && wasDeleted(transaction, content.chatId)) return undefined;
  // Nobody fills this device with chats: past the cap, what they open is dropped.
  if (!known && openChatsWith(transaction, envelope.sourceAccountId) >= SECRET_CHATS_PER_PEER) return undefined;
  const chat: SecretChat = known ?? {
    chatId: content.chatId,
    peerAccountId: envelope.sourceAccountId,
    peerDeviceId: envelope.sourceDeviceId,
    startedAt: envelope.serverTimestamp,
  };
  if (content.kind === 'secret_delete') {
    if (!known) return undefined;
    removeSecretChat(transaction, chat.chatId);
    return { inboxId: `secret:${chat.chatId}:deleted`, kind: 'secret_chat', secretChat: chat, change: 'deleted' };
  }
  if (!known) putSecretChat(transaction, chat);
  if (content.kind === 'secret_start') return { inboxId: `secret:${chat.chatId}:started`, kind: 'secret_chat', secretChat: chat, change: 'started' };
  return {
    inboxId: `message:${envelope.sourceAccountId}:${content.message.messageId}`,
    kind: 'message',
    message: {
      messageId: content.message.messageId,
      conversationId: secretConversationId(chat.chatId),
      direction: 'in',
      senderAccountId: envelope.sourceAccountId,
      senderDeviceId: envelope.sourceDeviceId,
      text: content.message.text,
      sentAt: content.message.sentAt,
      serverReceivedAt: envelope.serverTimestamp,
      secret: { peerAccountId: chat.peerAccountId },
    },
  };
}

function queueDeliveryReceipts(transaction: VaultTransaction, owed: Map<string, string[]>, now: number) {
  for (const [accountId, messageIds] of owed) {
    for (let start = 0; start < messageIds.length; start += 1_000) {
      enqueueOutgoing(transaction, {
        to: accountId,
        content: { kind: 'receipt', receiptType: 'delivered', messageIds: messageIds.slice(start, start + 1_000) },
        createdAt: now,
      });
    }
  }
}
