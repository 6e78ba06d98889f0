import { noteMessageTo } from '../../data/frequentContacts';
import type { MessageStatus } from '../../../src-shared/domain/messages';
import type { ParleyBridge } from '../../../src-shared/ipc/bridge';
import type { MessageStatusChange } from '../../../src-shared/ipc/messaging';
import type { IpcError } from '../../../src-shared/ipc/result';
import { getMessage, recordOutgoing, setOutgoingStatus, type HistoryStore } from '../../data';
import type { HistoryWriter } from './historyWriter';
import { secretChatIdOf } from '../../../src-shared/domain/messages';

/** Statuses kept for messages not recorded yet; beyond this the oldest are dropped. */
const EARLY_STATUS_LIMIT = 1_000;

/** `accepted`: main has the message (it will be sent) even though something after that failed. */
export type SendOutcome = { ok: true; messageId: string } | { ok: false; error: IpcError; accepted: boolean };

export type OutgoingMessages = {
  /** Sends a text and records it in the history as pending; statuses follow from the core's events. */
  /** `secret`: the conversation is a secret chat (C4), whose messages go to its one other device. */
  send(conversationId: string, text: string, secret?: boolean): Promise<SendOutcome>;
  /** One `onDidChangeMessageStatus` event. Resolves once it is written (or kept for later). */
  applyStatus(change: MessageStatusChange): Promise<void>;
};

type Options = {
  bridge: ParleyBridge;
  writer: HistoryWriter;
  senderDeviceId: number;
  /** B4: whether to rank who I write to (Suggest frequent contacts). */
  suggestFrequent: () => boolean;
};

/**
 * Sending, and the statuses that come back. sendText resolves with the id main chose, and only
 * then can the message be recorded; its 'sent' event may come before that (the two travel
 * separately over IPC or the web shell's socket). setOutgoingStatus ignores ids it does not know,
 * so a status for a message not recorded yet is kept here and applied right after the record,
 * in the same queued write: nothing is lost, whichever comes first.
 */
export function createOutgoingMessages({ bridge, writer, senderDeviceId, suggestFrequent }: Options): OutgoingMessages {
  const early = new Map<string, MessageStatus[]>();
  let pending: MessageStatusChange[] = [];
  let flushQueued: Promise<void> | null = null;

  const keepForLater = (messageId: string, status: MessageStatus) => {
    const statuses = early.get(messageId) ?? [];
    early.delete(messageId);
    early.set(messageId, [...statuses, status]);
    while (early.size > EARLY_STATUS_LIMIT) {
      const oldest = early.keys().next().value;
      if (oldest === undefined) break;
      early.delete(oldest);
    }
  };

  // A burst of events (a catch-up of 'sent's) becomes one queued write with a transaction per run
  // of equal statuses, in the order they came.
  const flush = async (store: HistoryStore) => {
    const changes = pending;
    pending = [];
    flushQueued = null;
    const runs: Array<{ status: MessageStatus; messageIds: string[] }> = [];
    for (const change of changes) {
      const last = runs[runs.length - 1];
      if (last && last.status === change.status) last.messageIds.push(change.messageId);
      else runs.push({ status: change.status, messageIds: [change.messageId] });
    }
    for (const run of runs) {
      const changed = await setOutgoingStatus(store, run.messageIds, run.status);
      if (changed === new Set(run.messageIds).size) continue;
      for (const messageId of run.messageIds) {
        if ((await getMessage(store, store.accountId, messageId)) === null) keepForLater(messageId, run.status);
      }
    }
  };

  return {
    async send(conversationId, text, secret = false) {
      const sent = secret
        ? await bridge.messaging.sendSecretText({ chatId: secretChatIdOf(conversationId) ?? conversationId, text })
        : await bridge.messaging.sendText({ to: conversationId, text });
      if (!sent.ok) return { ok: false, error: sent.error, accepted: false };
      const { messageId, sentAt } = sent.value;
      try {
        await writer.run(async (store) => {
          await recordOutgoing(store, { messageId, conversationId, senderDeviceId, text, sentAt });
          // B4: who I write to most, ranked on this device (never for a secret chat).
          if (!secret && suggestFrequent()) await noteMessageTo(store, conversationId, sentAt);
          const statuses = early.get(messageId) ?? [];
          early.delete(messageId);
          for (const status of statuses) await setOutgoingStatus(store, [messageId], status);
        });
      } catch (error) {
        // The core has it and will send it; only this device's history missed it.
        const message = error instanceof Error ? error.message : String(error);
        return { ok: false, error: { code: 'internal', message: `sent, but not saved to history: ${message}` }, accepted: true };
      }
      return { ok: true, messageId };
    },
    applyStatus(change) {
      pending.push(change);
      flushQueued ??= writer.run(flush);
      return flushQueued;
    },
  };
}
