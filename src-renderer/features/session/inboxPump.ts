import type { InboxItem } from '../../../src-shared/domain/messages';
import type { ParleyBridge } from '../../../src-shared/ipc/bridge';
import type { IpcError } from '../../../src-shared/ipc/result';
import { applyInboxBatch } from '../../data';
import type { HistoryWriter } from './historyWriter';

/** Items read per batch: one IPC call, one Dexie transaction, one confirm (ARCHITECTURE §3). */
export const INBOX_BATCH_SIZE = 500;

export type InboxPump = {
  /** Drains the inbox; calls made while draining make it go round once more, never run twice at once. */
  pump(): Promise<void>;
  stop(): void;
};

type Options = {
  bridge: ParleyBridge;
  writer: HistoryWriter;
  /** After a batch is stored and confirmed. */
  onStored?: (items: readonly InboxItem[]) => void;
  onError?: (error: IpcError) => void;
};

/**
 * Moves what main's inbox holds into the history store: readInbox → applyInboxBatch (one
 * transaction) → confirmInbox of exactly the ids that transaction stored, until the inbox is
 * empty. A failed step stops this round without confirming anything not stored; main keeps the
 * items and the next round (the next onDidReceive, or the next start) takes them again, which is
 * harmless because every step is idempotent.
 */
export function createInboxPump({ bridge, writer, onStored, onError }: Options): InboxPump {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  const drain = async () => {
    do {
      again = false;
      while (!stopped) {
        const read = await bridge.messaging.readInbox({ limit: INBOX_BATCH_SIZE });
        if (!read.ok) return onError?.(read.error);
        const items = read.value;
        if (items.length === 0) break;
        let confirmedInboxIds: string[];
        try {
          ({ confirmedInboxIds } = await writer.run((store) => applyInboxBatch(store, items)));
        } catch (error) {
          return onError?.({ code: 'internal', message: error instanceof Error ? error.message : String(error) });
        }
        if (stopped) return;
        const confirmed = await bridge.messaging.confirmInbox({ inboxIds: confirmedInboxIds });
        // Unconfirmed items would come straight back: stop here rather than loop on them.
        if (!confirmed.ok) return onError?.(confirmed.error);
        onStored?.(items);
      }
    } while (again && !stopped);
  };

  return {
    pump() {
      if (stopped) return Promise.resolve();
      if (running) {
        again = true;
        return running;
      }
      // Started on a later microtask, so `running` is set before any call can re-enter pump().
      running = Promise.resolve()
        .then(drain)
        .finally(() => {
          running = null;
        });
      return running;
    },
    stop() {
      stopped = true;
    },
  };
}
