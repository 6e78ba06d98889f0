import type { HistoryStore } from '../../data';

export type HistoryTask<T> = (store: HistoryStore) => Promise<T>;

/**
 * Every write to the history goes through one of these, one task at a time in the order they
 * were queued (ARCHITECTURE §3): a status update queued after the record it updates always
 * finds it, and two read-modify-write tasks never interleave. A task that fails rejects its own
 * promise only; the queue goes on.
 */
export type HistoryWriter = {
  run<T>(task: HistoryTask<T>): Promise<T>;
  /** Resolves when everything queued so far has finished. */
  idle(): Promise<void>;
};

export function createHistoryWriter(store: HistoryStore): HistoryWriter {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(task: HistoryTask<T>): Promise<T> {
      const result = tail.then(() => task(store));
      // The next task waits for this one to settle, whether it succeeded or not.
      tail = result.catch(() => undefined);
      return result;
    },
    idle: () => tail.then(() => undefined),
  };
}
