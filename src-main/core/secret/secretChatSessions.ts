import { randomUUID } from 'node:crypto';
import type { SecretChat } from '../../../src-shared/domain/messages';
import type { Clock } from '../../../src-shared/domain/runtime';
import { LIMITS } from '../../../src-shared/domain/limits';
import type { TextContent } from '../../../src-shared/protocol/content';
import { MessageTooLongError, RecipientBlockedError } from '../coreErrors';
import { encodeContent } from '../signal/contentCodec';
import { enqueueOutgoing, outboxEntry, type OutboxEntry } from '../sync/outboxEntry';
import type { Vault } from '../vault/vault';
import { putSecretChat, readSecretChats, removeSecretChat, secretChatOf } from './secretChats';

export class SecretChatNotFoundError extends Error {
  constructor() {
    super('this device has no such secret chat');
    this.name = 'SecretChatNotFoundError';
  }
}

export type SecretChatSessionsOptions = {
  vault: Vault;
  clock: Clock;
  /** This device's account: no secret chat with it. */
  accountId: string;
  accountIdOf(username: string): Promise<string>;
  /** B3: whether I blocked this account (no secret chat is started with them, nothing sent in one). */
  isBlocked(accountId: string): boolean;
  /** A new text message (checked, its time after the last one's); throws MessageTooLongError and the like. */
  newText(text: string): TextContent;
  /** The devices of an account, keys fetched and sessions started where needed. */
  devicesOf(accountId: string): Promise<Array<{ accountId: string; deviceId: number }>>;
  /** Puts an entry in the outbox; resolves once it is durable. */
  addToOutbox(entry: OutboxEntry): Promise<void>;
  /** Starts sending what the outbox holds. */
  flushOutbox(): void;
};

/**
 * This device's secret chats (C4): each between this device and one device of another account,
 * its messages one-device sends (never to either side's other devices, never archived). What
 * arrives for them is handled by the receiver (envelopeReceiver's secretChatItemFor).
 */
export class SecretChatSessions {
  constructor(private readonly options: SecretChatSessionsOptions) {}

  /**
   * Opens a secret chat with one device of `to` (their first device this device can reach; the
   * chat lives on it and on this device only). Durable when it resolves; the other device hears
   * of it with the `secret_start`.
   */
  async start(to: { username: string } | { accountId: string }): Promise<SecretChat> {
    const { vault, clock } = this.options;
    const accountId = 'accountId' in to ? to.accountId : await this.options.accountIdOf(to.username);
    if (accountId === this.options.accountId) throw new Error('a secret chat is with someone else');
    if (this.options.isBlocked(accountId)) throw new RecipientBlockedError();
    const devices = await this.options.devicesOf(accountId);
    const peerDeviceId = Math.min(...devices.map((device) => device.deviceId));
    const chat: SecretChat = { chatId: randomUUID(), peerAccountId: accountId, peerDeviceId, startedAt: clock.now() };
    const transaction = vault.transaction();
    putSecretChat(transaction, chat);
    await transaction.commit();
    await this.options.addToOutbox(
      outboxEntry({ to: accountId, content: { kind: 'secret_start', chatId: chat.chatId }, onlyDevice: peerDeviceId, createdAt: chat.startedAt }),
    );
    return chat;
  }

  list(): SecretChat[] {
    return Object.values(readSecretChats(this.options.vault.transaction()));
  }

  /** A message in a secret chat, to its other device only; like ParleyCore.sendText otherwise. */
  async send(chatId: string, text: string): Promise<TextContent> {
    const chat = secretChatOf(this.options.vault.transaction(), chatId);
    if (!chat) throw new SecretChatNotFoundError();
    if (this.options.isBlocked(chat.peerAccountId)) throw new RecipientBlockedError();
    const message = this.options.newText(text);
    const content = { kind: 'secret_text', chatId, message } as const;
    if (encodeContent(content).length > LIMITS.contentMaxBytes) throw new MessageTooLongError();
    await this.options.addToOutbox(outboxEntry({ to: chat.peerAccountId, content, onlyDevice: chat.peerDeviceId, createdAt: message.sentAt }));
    return message;
  }

  /** Deletes the secret chat here and tells its other device to delete it too. */
  async delete(chatId: string): Promise<void> {
    const transaction = this.options.vault.transaction();
    const chat = secretChatOf(transaction, chatId);
    if (!chat) throw new SecretChatNotFoundError();
    removeSecretChat(transaction, chatId);
    const content = { kind: 'secret_delete', chatId } as const;
    enqueueOutgoing(transaction, { to: chat.peerAccountId, content, onlyDevice: chat.peerDeviceId, createdAt: this.options.clock.now() });
    const durable = transaction.commit();
    this.options.flushOutbox();
    await durable;
  }
}
