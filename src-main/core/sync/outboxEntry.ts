import { randomUUID } from 'node:crypto';
import type { Content } from '../../../src-shared/protocol/content';
import type { OutgoingEnvelope } from '../../../src-shared/protocol/frames';
import type { VaultTransaction } from '../vault/vaultTransaction';

/**
 * One message waiting in the vault's outbox. `id` is also the send's idempotency key, so a
 * resend after a lost answer is stored once. Once encrypted, the ciphertexts are kept
 * (`prepared`): a resend repeats the same bytes and never reuses a ratchet step for new ones.
 */
export type OutboxEntry = {
  id: string;
  to: string;
  /** What the recipient's devices get. */
  content: Content;
  /** What my own other devices get instead (a sent transcript); `content` when absent. */
  syncContent?: Content;
  /** For this one device of `to` only, and none of mine (a secret chat's, C4; a one-device send). */
  onlyDevice?: number;
  createdAt: number;
  prepared?: { envelopes: OutgoingEnvelope[]; timestamp: number };
};

export type NewOutboxEntry = Omit<OutboxEntry, 'id'> & { id?: string };

/** An entry with its id (a fresh one unless given). */
export function outboxEntry(entry: NewOutboxEntry): OutboxEntry {
  return { ...entry, id: entry.id ?? randomUUID() };
}

export function enqueueOutgoing(transaction: VaultTransaction, entry: NewOutboxEntry): OutboxEntry {
  const full = outboxEntry(entry);
  transaction.putJson('outbox', full.id, full);
  return full;
}

/** The message id of a text or a secret chat's message; undefined for everything else. */
export function messageIdOf(content: Content): string | undefined {
  if (content.kind === 'text') return content.messageId;
  if (content.kind === 'secret_text') return content.message.messageId;
  return undefined;
}
