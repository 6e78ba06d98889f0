import type { InboxItem } from '../../../src-shared/domain/messages';
import type { ParleyBridge } from '../../../src-shared/ipc/bridge';
import type { IpcError } from '../../../src-shared/ipc/result';
import { applyInboxBatch } from '../../data';
import type { HistoryWriter } from './historyWriter';
import type { LongTaskWatch } from './longTaskWatch';

/** Items read per batch: one IPC call and one confirm (ARCHITECTURE §3). */
export const INBOX_BATCH_SIZE = 500;

/**
 * A batch is stored in transactions of a few dozen to 500 items, sized by the page's long tasks:
 * sealing and indexing a transaction's records runs on the UI thread in a few synchronous steps,
 * and a catch-up must leave the page responsive between them (issue 8: no task over 100 ms).
 * Transactions grow while they cause no long task and shrink when one comes near the limit.
 * They must not be smaller than that: every transaction costs the page a round of the chat list
 * and unread queries and a render, whatever its size. Sized to 40 ms of wall time each, a
 * 10,000-message catch-up on a loaded 2-core machine ran hundreds of transactions of 25 to 50
 * items, and the page and IndexedDB spent 1.2 ms of CPU per message; at 500 items, 0.6 ms.
 */
export const STORE_CHUNK = { first: 100, min: 25, max: INBOX_BATCH_SIZE } as const;
/**
 * A task this long (ms) during a transaction halves the next; with none over 50 ms (the API reports
 * no shorter ones) the next grows by half, so a task that grows with the transaction stays under 75 ms.
 */
const SHRINK_AT_MS = 70;
const LONG_TASK_MS = 50;
const GROWTH = 1.5;

/**
 * The next transaction's size after one of `size` items during which the longest task took
 * `longestTaskMs`: halved from SHRINK_AT_MS, grown by half below LONG_TASK_MS, between min and max.
 */
export function nextChunkSize(size: number, longestTaskMs: number): number {
  const next = longestTaskMs >= SHRINK_AT_MS ? Math.floor(size / 2) : longestTaskMs < LONG_TASK_MS ? Math.floor(size * GROWTH) : size;
  return Math.max(STORE_CHUNK.min, Math.min(STORE_CHUNK.max, next));
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
  /** The page's long tasks (createLongTaskWatch); without it a transaction's wall time stands in for its longest task. */
  longTasks?: LongTaskWatch;
  /** Milliseconds (performance.now by default). */
  now?: () => number;
};

/**
 * Moves what main's inbox holds into the history store: readInbox → applyInboxBatch (in order, in
 * transactions of STORE_CHUNK sizes) → confirmInbox of exactly the ids those transactions stored,
 * until the inbox is empty. A failed step stops this round without confirming anything not
 * stored; main keeps the items and the next round (the next onDidReceive, or the next start)
 * takes them again, which is harmless because every step is idempotent.
 */
export function createInboxPump({ bridge, writer, onStored, onError, longTasks, now = () => performance.now() }: Options): InboxPump {
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
      // From the size planned, not the chunk's: the end of a batch is a short chunk, not a reason to shrink.
      chunkSize = nextChunkSize(chunkSize, longTasks ? longTasks.longestSince(began) : now() - began);
      start += chunk.length;
    }
    return { confirmedInboxIds };
  };

  const drain = async () => {
    do {
      again = false;
      // Each next read is asked for right behind the confirm before it, without waiting for the
      // confirm's answer: main answers calls in order, so the read sees the inbox without what was
      // just confirmed, and a batch costs one round trip to main instead of two. (Were they ever
      // answered out of order, the read would only hand over stored items again: harmless.)
      let reading: ReturnType<typeof bridge.messaging.readInbox> | undefined;
      while (!stopped) {
        const read = await (reading ?? bridge.messaging.readInbox({ limit: INBOX_BATCH_SIZE }));
        reading = undefined;
        if (!read.ok) return onError?.(read.error);
        const items = read.value;
        if (items.length === 0) break;
        const { confirmedInboxIds, failure } = await store(items);
        if (stopped) return;
        // What was stored before a failure is confirmed all the same: it need not come again.
        if (confirmedInboxIds.length > 0 || failure === undefined) {
          const confirming = bridge.messaging.confirmInbox({ inboxIds: confirmedInboxIds });
          if (failure === undefined) {
            reading = bridge.messaging.readInbox({ limit: INBOX_BATCH_SIZE });
            // Dropped unawaited if the confirm fails: a read changes nothing, and must not go unhandled.
            reading.catch(() => undefined);
          }
          const confirmed = await confirming;
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
