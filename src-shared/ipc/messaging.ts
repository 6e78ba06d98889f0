import { z } from 'zod';
import { accountIdSchema } from '../domain/ids';
import { LIMITS } from '../domain/limits';
import type { InboxItem, MessageStatus } from '../domain/messages';
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
  },
  events: ['onDidReceive', 'onDidChangeMessageStatus', 'onDidChangeConnection'],
} as const satisfies ServiceDescriptor;

export type MessagingResults = {
  sendText: { messageId: string; sentAt: number };
  readInbox: InboxItem[];
  confirmInbox: null;
  sendReadReceipts: null;
};

export type MessageStatusChange = { messageId: string; status: MessageStatus; by?: string; error?: string };
export type ConnectionStatus = 'connecting' | 'open' | 'closed';

export type MessagingEvents = {
  /** New items are in the inbox: call readInbox. */
  onDidReceive: null;
  onDidChangeMessageStatus: MessageStatusChange;
  onDidChangeConnection: ConnectionStatus;
};
