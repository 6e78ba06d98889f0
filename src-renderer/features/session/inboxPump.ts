import type { InboxItem } from '../../../src-shared/domain/messages';
import type { ParleyBridge } from '../../../src-shared/ipc/bridge';
import type { IpcError } from '../../../src-shared/ipc/result';
import { applyInboxBatch } from '../../data';
import type { HistoryWriter } from './historyWriter';

/** Items read per batch: one IPC call and one confirm (ARCHITECTURE §3). */
export const INBOX_BATCH_SIZE = 500;

/**
 * A batch is stored in transactions of a few dozen to a few hundred items, sized so each takes
 * about TARGET_STORE_MS: sealing and indexing a transaction's records is one task on the UI
 * thread (the history middleware is synchronous), and a catch-up must leave the page responsive
 * between them (issue 8: no task over 100 ms). Measured in a 5,000-message catch-up on a loaded
 * 2-core machine: 500 per transaction made tasks of up to 580 ms.
 */
export const STORE_CHUNK = { first: 100, min: 25, max: INBOX_BATCH_SIZE } as const;
const TARGET_STORE_MS = 40;

/** The next transaction's size after one of `size` items took `elapsedMs`: towards the target, at most doubling. */
export function nextChunkSize(size: number, elapsedMs: number): number {
  const fitted = elapsedMs <= 0 ? size * 2 : Math.floor((size * TARGET_STORE_MS) / elapsedMs);
  return Math.max(STORE_CHUNK.min, Math.min(STORE_CHUNK.max, size * 2, fitted));
}

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
  /** Milliseconds, for sizing the store transactions (performance.now by default). */
  now?: () => number;
};

/**
 * Moves what main's inbox holds into the history store: readInbox → applyInboxBatch (in order, in
 * transactions of STORE_CHUNK sizes) → confirmInbox of exactly the ids those transactions stored,
 * until the inbox is empty. A failed step stops this round without confirming anything not
 * stored; main keeps the items and the next round (the next onDidReceive, or the next start)
 * takes them again, which is harmless because every step is idempotent.
 */
export function createInboxPump({ bridge, writer, onStored, onError, now = () => performance.now() }: Options): InboxPump {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let chunkSize: number = STORE_CHUNK.first;

  /** Stores `items` in order, a transaction per chunk; the ids stored, and the failure that stopped it, if any. */
  const store = async (items: readonly InboxItem[]): Promise<{ confirmedInboxIds: string[]; failure?: unknown }> => {
    const confirmedInboxIds: string[] = [];
    for (let start = 0; start < items.length && !stopped; ) {
      const chunk = items.slice(start, start + chunkSize);
      const began = now();
      try {
        const stored = await writer.run((history) => applyInboxBatch(history, chunk));
        confirmedInboxIds.push(...stored.confirmedInboxIds);
      } catch (failure) {
        return { confirmedInboxIds, failure };
      }
      chunkSize = nextChunkSize(chunk.length, now() - began);
      start += chunk.length;
    }
    return { confirmedInboxIds };
  };

  const drain = async () => {
    do {
      again = false;
      while (!stopped) {
        const read = await bridge.messaging.readInbox({ limit: INBOX_BATCH_SIZE });
        if (!read.ok) return onError?.(read.error);
        const items = read.value;
        if (items.length === 0) break;
        const { confirmedInboxIds, failure } = await store(items);
        if (stopped) return;
        // What was stored before a failure is confirmed all the same: it need not come again.
        if (confirmedInboxIds.length > 0 || failure === undefined) {
          const confirmed = await bridge.messaging.confirmInbox({ inboxIds: confirmedInboxIds });
          // Unconfirmed items would come straight back: stop here rather than loop on them.
          if (!confirmed.ok) return onError?.(confirmed.error);
        }
        if (failure !== undefined) {
          return onError?.({ code: 'internal', message: failure instanceof Error ? failure.message : String(failure) });
        }
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
