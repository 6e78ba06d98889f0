import { z } from 'zod';
import { accountIdSchema } from '../domain/ids';
import { LIMITS } from '../domain/limits';
import type { InboxItem, MessageStatus, SecretChat } from '../domain/messages';
import type { ServiceDescriptor } from './service';

const messageIdSchema = z.uuid();

/**
 * The messaging service. What arrives waits in main's inbox until the renderer's history store
 * has it: the renderer pulls with `readInbox` (on `onDidReceive` and at start), stores the batch
 * in one transaction, then `confirmInbox`es it; every step is idempotent, so a crash in between
 * repeats work and loses nothing (ARCHITECTURE §2).
 */
export const messagingService = {
  methods: {
    /** Durable in the outbox when it resolves; `onDidChangeMessageStatus` reports 'sent' and later. */
    sendText: z.object({ to: accountIdSchema, text: z.string().min(1).max(LIMITS.textMaxLength) }).strict(),
    readInbox: z.object({ limit: z.number().int().min(1).max(1_000) }).strict(),
    confirmInbox: z.object({ inboxIds: z.array(z.string().min(1).max(200)).max(1_000) }).strict(),
    /** Read receipts for messages the history store just marked read, per sender. */
    sendReadReceipts: z
      .object({
        receipts: z.array(z.object({ accountId: accountIdSchema, messageIds: z.array(messageIdSchema).min(1).max(1_000) })).max(100),
      })
      .strict(),
    /**
     * C8's typing indicator: `typing: true` while the user composes (repeat it every few seconds
     * while they go on), `false` when they stop or send. Online-only and best effort: never
     * queued for an offline device, never retried.
     */
    sendTyping: z.object({ to: accountIdSchema, typing: z.boolean() }).strict(),
    /**
     * C4: opens a secret chat with one device of `to`; it lives on that device and this one only,
     * is never archived and never reaches either side's other devices. `not_found` when `to`
     * has no device.
     */
    startSecretChat: z.object({ to: accountIdSchema }).strict(),
    /** A message in one of this device's secret chats (`not_found` for another); like sendText otherwise. */
    sendSecretText: z.object({ chatId: z.uuid(), text: z.string().min(1).max(LIMITS.textMaxLength) }).strict(),
    /** Deletes the secret chat on this device and on its other device. */
    deleteSecretChat: z.object({ chatId: z.uuid() }).strict(),
    /** Where the connection to the server stands now; `onDidChangeConnection` tells each change after. */
    getConnectionStatus: z.object({}).strict(),
    /** How the catch-up after connecting stands now; `onDidChangeCatchUp` tells its progress after. */
    getCatchUpProgress: z.object({}).strict(),
  },
  events: ['onDidReceive', 'onDidChangeMessageStatus', 'onDidChangeConnection', 'onDidChangeTyping', 'onDidChangeCatchUp'],
} as const satisfies ServiceDescriptor;

export type MessagingResults = {
  sendText: { messageId: string; sentAt: number };
  readInbox: InboxItem[];
  confirmInbox: null;
  sendReadReceipts: null;
  sendTyping: null;
  startSecretChat: SecretChat;
  sendSecretText: { messageId: string; sentAt: number };
  deleteSecretChat: null;
  getConnectionStatus: ConnectionStatus;
  getCatchUpProgress: CatchUpProgress;
};

export type MessageStatusChange = { messageId: string; status: MessageStatus; by?: string; error?: string };
export type ConnectionStatus = 'connecting' | 'open' | 'closed';

/**
 * Someone started or stopped typing to me. A `typing: true` with no follow-up expires after
 * `TYPING_EXPIRY_MS` (the sender may have gone offline mid-sentence).
 */
export type TypingChange = { accountId: string; typing: boolean };
export const TYPING_EXPIRY_MS = 15_000;

/**
 * The catch-up after a connect: `received` of the `total` envelopes that were queued for this
 * device when it connected are committed to the vault's inbox (the history store takes them from
 * there a batch at a time). `received` never passes `total` and never goes back within one
 * catch-up. `done` once all are in, or the connection dropped (the next connect starts a new
 * catch-up with what is left); a device with nothing queued is `done` with `total` 0. Told a few
 * times a second at most while it runs, and once more at its end.
 */
export type CatchUpProgress = { received: number; total: number; done: boolean };

export type MessagingEvents = {
  /** New items are in the inbox: call readInbox. */
  onDidReceive: null;
  onDidChangeMessageStatus: MessageStatusChange;
  onDidChangeConnection: ConnectionStatus;
  onDidChangeTyping: TypingChange;
  onDidChangeCatchUp: CatchUpProgress;
};
