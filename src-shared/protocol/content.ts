import { z } from 'zod';
import { accountIdSchema } from '../domain/ids';
import { LIMITS } from '../domain/limits';

/**
 * What travels inside the Signal ciphertext, between clients only: the server never sees it.
 * Encoded as UTF-8 JSON, then padded (see ../../src-main/core/crypto/padding.ts) so the
 * ciphertext length reveals only a size class.
 */

const messageIdSchema = z.uuid();

/** A text message. `messageId` is chosen by the sender and identifies it on every device. */
export const textContentSchema = z.object({
  kind: z.literal('text'),
  messageId: messageIdSchema,
  sentAt: z.number().int().nonnegative().max(LIMITS.timestampMax),
  text: z.string().min(1).max(LIMITS.textMaxLength),
});

/**
 * A copy of what this account sent from another of its devices, so every device shows the
 * whole conversation. Sent only to the sender's own devices.
 */
export const sentTranscriptContentSchema = z.object({
  kind: z.literal('sent_transcript'),
  to: accountIdSchema,
  message: textContentSchema,
});

/** Receipts for messages of the recipient's conversation with the sender. */
export const receiptContentSchema = z.object({
  kind: z.literal('receipt'),
  receiptType: z.enum(['delivered', 'read']),
  messageIds: z.array(messageIdSchema).min(1).max(1_000),
});

export const contentSchema = z.discriminatedUnion('kind', [
  textContentSchema,
  sentTranscriptContentSchema,
  receiptContentSchema,
]);
export type Content = z.infer<typeof contentSchema>;
export type TextContent = z.infer<typeof textContentSchema>;
export type ReceiptContent = z.infer<typeof receiptContentSchema>;
