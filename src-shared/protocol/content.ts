import { z } from 'zod';
import { accountIdSchema } from '../domain/ids';
import { LIMITS } from '../domain/limits';
import { stampedPreferenceSchema } from '../domain/preferences';
import { base64 } from '../domain/ids';
import { profileVersionSchema } from './profile';

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

/**
 * C8: the sender is composing (`true`) or stopped (`false`). Sent online-only (the send frame's
 * `onlineOnly`), so it never waits in a queue; a receiver expires a `true` on its own
 * (TYPING_EXPIRY_MS in src-shared/ipc/messaging.ts).
 */
export const typingContentSchema = z.object({
  kind: z.literal('typing'),
  typing: z.boolean(),
});

/**
 * Read state across my devices (C5): I read these messages of the conversation with
 * `conversationId` on another device. Sent only to the sender's own devices, which mark them
 * read without sending read receipts again.
 */
export const readSyncContentSchema = z.object({
  kind: z.literal('read_sync'),
  conversationId: accountIdSchema,
  messageIds: z.array(messageIdSchema).min(1).max(1_000),
});

/**
 * C4's secret chats: between one device of each account, never archived, never sent to either
 * side's other devices (one-device sends). `secret_start` opens the chat on the device it
 * reaches, `secret_text` is a message in it, `secret_delete` deletes it on both devices.
 */
const secretChatIdSchema = z.uuid();
export const secretStartContentSchema = z.object({ kind: z.literal('secret_start'), chatId: secretChatIdSchema });
export const secretTextContentSchema = z.object({ kind: z.literal('secret_text'), chatId: secretChatIdSchema, message: textContentSchema });
export const secretDeleteContentSchema = z.object({ kind: z.literal('secret_delete'), chatId: secretChatIdSchema });

/**
 * The settings that follow me to my devices (B3's block list, F3's who can call me), changed on
 * another of my devices. Sent only to my own devices: the server never learns them.
 */
export const preferencesSyncContentSchema = z.object({
  kind: z.literal('preferences_sync'),
  changes: z.array(stampedPreferenceSchema).min(1).max(1_000),
});

/**
 * A2: the sender's profile key and its version, so I can fetch and open their sealed profile.
 * Sent to the people the sender writes to (and again after the profile changes or the key is
 * rotated). Sent to the sender's own devices with `refresh` it means "my profile changed: fetch
 * it again" (their copies of the sends to others, which every send includes, come without it).
 */
export const profileKeyContentSchema = z.object({
  kind: z.literal('profile_key'),
  key: base64(32),
  version: profileVersionSchema,
  refresh: z.literal(true).optional(),
  /** On my own devices' copy of a send to someone: whom I gave the key (so every device of mine knows). */
  sharedWith: accountIdSchema.optional(),
});

/**
 * A4: the key of the sender's avatar and its version, for those the sender lets see it; `null`
 * means "you may no longer see my avatar" (the sender's visibility setting left me out, or the
 * avatar was removed): drop it. The key was rotated when that happened, so the sealed avatar
 * the server keeps now opens only with a key I was not given. To the sender's own devices, with
 * `refresh`, it means "my avatar changed: fetch it again".
 */
export const avatarKeyContentSchema = z.object({
  kind: z.literal('avatar_key'),
  key: base64(32).nullable(),
  version: profileVersionSchema.optional(),
  refresh: z.literal(true).optional(),
  /** On my own devices' copy of a send to someone: whom I gave it (or took it from, with a null key). */
  sharedWith: accountIdSchema.optional(),
});

/**
 * A3: "my @username changed". It carries no name on purpose: the receiver asks the server who
 * the sender is now, so nobody can claim a name by message.
 */
export const usernameChangedContentSchema = z.object({ kind: z.literal('username_changed') }).strict();

export const contentSchema = z.discriminatedUnion('kind', [
  textContentSchema,
  sentTranscriptContentSchema,
  receiptContentSchema,
  typingContentSchema,
  readSyncContentSchema,
  secretStartContentSchema,
  secretTextContentSchema,
  secretDeleteContentSchema,
  preferencesSyncContentSchema,
  profileKeyContentSchema,
  avatarKeyContentSchema,
  usernameChangedContentSchema,
]);
export type Content = z.infer<typeof contentSchema>;
export type TextContent = z.infer<typeof textContentSchema>;
export type ReceiptContent = z.infer<typeof receiptContentSchema>;
export type TypingContent = z.infer<typeof typingContentSchema>;
export type ReadSyncContent = z.infer<typeof readSyncContentSchema>;
export type PreferencesSyncContent = z.infer<typeof preferencesSyncContentSchema>;
export type ProfileKeyContent = z.infer<typeof profileKeyContentSchema>;
export type AvatarKeyContent = z.infer<typeof avatarKeyContentSchema>;
