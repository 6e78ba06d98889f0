import { z } from 'zod';
import { accountIdSchema } from '../../../src-shared/domain/ids';
import { LIMITS } from '../../../src-shared/domain/limits';
import type { ChatMessage } from '../../../src-shared/domain/messages';
import { open, seal } from '../crypto/aead';
import type { ArchiveKeys } from './archiveKey';

const archivedMessageSchema = z
  .object({
    messageId: z.uuid(),
    conversationId: accountIdSchema,
    direction: z.enum(['in', 'out']),
    senderAccountId: accountIdSchema,
    senderDeviceId: z.number().int().min(1).max(2 ** 31 - 1),
    text: z.string().min(1).max(LIMITS.textMaxLength),
    sentAt: z.number().int().nonnegative().max(LIMITS.timestampMax),
    serverReceivedAt: z.number().int().nonnegative().max(LIMITS.timestampMax),
  })
  .strict();

/**
 * What one archive item holds once opened: one message, as the history store keeps it. A device
 * of the account wrote it, but it is checked like any input: a bad item is skipped, not restored.
 */
export const archiveRecordSchema = z.object({ v: z.literal(1), kind: z.literal('message'), message: archivedMessageSchema }).strict();
export type ArchiveRecord = z.infer<typeof archiveRecordSchema>;

/** An item staged in the vault for upload: its id and what it will hold. */
export type StagedArchiveItem = { id: string; record: ArchiveRecord };

export function archiveRecordOf(message: ChatMessage): ArchiveRecord {
  const { messageId, conversationId, direction, senderAccountId, senderDeviceId, text, sentAt, serverReceivedAt } = message;
  return { v: 1, kind: 'message', message: { messageId, conversationId, direction, senderAccountId, senderDeviceId, text, sentAt, serverReceivedAt } };
}

/**
 * A message's item id: the same on every device of the account (the server keeps one copy when
 * several devices archive the message they all received), random-looking to anyone without the key.
 */
export function archiveItemIdOf(keys: ArchiveKeys, message: Pick<ChatMessage, 'senderAccountId' | 'messageId'>): string {
  return keys.itemIds.digest(`message:${message.senderAccountId}:${message.messageId}`).subarray(0, 16).toString('base64url');
}

const associatedDataOf = (id: string) => Buffer.from(`parley archive item:${id}`, 'utf8');

/** The item's body as the server keeps it: sealed, bound to its id (a body moved to another id does not open). */
export function sealArchiveItem(keys: ArchiveKeys, item: StagedArchiveItem): string {
  return seal(keys.sealKey, Buffer.from(JSON.stringify(item.record), 'utf8'), associatedDataOf(item.id)).toString('base64');
}

/** The record in a body, or undefined when it does not open with this key or is not a record. */
export function openArchiveItem(keys: ArchiveKeys, id: string, body: string): ArchiveRecord | undefined {
  let plaintext: Buffer;
  try {
    plaintext = open(keys.sealKey, Buffer.from(body, 'base64'), associatedDataOf(id));
  } catch {
    return undefined;
  }
  try {
    const parsed = archiveRecordSchema.safeParse(JSON.parse(plaintext.toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
