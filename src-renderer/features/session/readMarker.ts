import type { ParleyBridge } from '../../../src-shared/ipc/bridge';
import type { HistoryWriter } from './historyWriter';
import { markConversationReadAndNotify } from './readReceipts';

export type ReadMarker = {
  /**
   * Marks the conversation read and sends the receipts. A conversation has at most one pass
   * running and one waiting: asking while a pass runs queues one more after it (messages that
   * arrived meanwhile are marked by that one), and every ask until it starts shares it.
   * Resolves with how many messages the pass it joined marked.
   */
  markRead(conversationId: string): Promise<number>;
};

/**
 * One per session. Marking a long-unread chat takes many writer tasks, and the chat's unread
 * count drops after each, so the open conversation asks again and again while it runs; without
 * this, each ask would start a pass of its own over the same rows.
 */
export function createReadMarker({ bridge, writer }: { bridge: ParleyBridge; writer: HistoryWriter }): ReadMarker {
  /** A pass queued and not started yet, per conversation: new asks join it. */
  const waiting = new Map<string, Promise<number>>();
  /** The last pass started or queued, per conversation: a new one starts after it settles. */
  const latest = new Map<string, Promise<number>>();

  return {
    markRead(conversationId) {
      const queued = waiting.get(conversationId);
      if (queued !== undefined) return queued;
      const before = latest.get(conversationId) ?? Promise.resolve(0);
      const pass = before
        .catch(() => 0)
        .then(() => {
          waiting.delete(conversationId);
          return markConversationReadAndNotify(bridge, writer, conversationId);
        });
      waiting.set(conversationId, pass);
      latest.set(conversationId, pass);
      const forget = () => {
        if (latest.get(conversationId) === pass) latest.delete(conversationId);
      };
      pass.then(forget, forget);
      return pass;
    },
  };
}
