import type { InboxItem } from '../../../src-shared/domain/messages';
import type { Content } from '../../../src-shared/protocol/content';
import type { Envelope } from '../../../src-shared/protocol/frames';
import type { LocalDevice } from './localDevice';

type SecretContent = Extract<Content, { kind: 'secret_start' | 'secret_text' | 'secret_delete' }>;

/**
 * What an envelope's content (other than a secret chat's) puts in the inbox: a message, a sent
 * transcript of mine, a receipt, a read on another device; undefined for what never enters it.
 * Only my own devices may tell me what I sent and what I read.
 */
export function inboxItemFor(envelope: Envelope, content: Exclude<Content, SecretContent>, local: LocalDevice): InboxItem | undefined {
  const fromSelf = envelope.sourceAccountId === local.accountId;
  switch (content.kind) {
    case 'text':
      return {
        inboxId: `message:${envelope.sourceAccountId}:${content.messageId}`,
        kind: 'message',
        message: {
          messageId: content.messageId,
          conversationId: envelope.sourceAccountId,
          direction: fromSelf ? 'out' : 'in',
          senderAccountId: envelope.sourceAccountId,
          senderDeviceId: envelope.sourceDeviceId,
          text: content.text,
          sentAt: content.sentAt,
          serverReceivedAt: envelope.serverTimestamp,
        },
      };
    case 'sent_transcript':
      // Only my own devices may tell me what I sent.
      if (!fromSelf) return undefined;
      return {
        inboxId: `message:${envelope.sourceAccountId}:${content.message.messageId}`,
        kind: 'message',
        message: {
          messageId: content.message.messageId,
          conversationId: content.to,
          direction: 'out',
          senderAccountId: envelope.sourceAccountId,
          senderDeviceId: envelope.sourceDeviceId,
          text: content.message.text,
          sentAt: content.message.sentAt,
          serverReceivedAt: envelope.serverTimestamp,
        },
      };
    case 'receipt':
      return {
        inboxId: `receipt:${envelope.id}`,
        kind: 'receipt',
        receipt: {
          receiptType: content.receiptType,
          messageIds: content.messageIds,
          fromAccountId: envelope.sourceAccountId,
          at: envelope.serverTimestamp,
        },
      };
    case 'typing':
      return undefined; // reported through onTyping, never stored
    case 'read_sync':
      // Only my own devices may tell me what I read.
      if (!fromSelf) return undefined;
      return { inboxId: `read:${envelope.id}`, kind: 'read', read: { conversationId: content.conversationId, messageIds: content.messageIds } };
    case 'preferences_sync':
    case 'profile_key':
    case 'avatar_key':
    case 'username_changed':
      return undefined; // taken in the batch (SyncedPreferences, PeerProfiles, PeerAvatars), never in the inbox
  }
}

