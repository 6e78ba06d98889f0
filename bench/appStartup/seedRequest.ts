/** What bench/appStartup asks the in-page seeder (page/historySeeder.ts) to write. */
export type SeedRequest = {
  accountId: string;
  /** base64, from window.parley.account.historyKey(). */
  storageKey: string;
  peerAccountId: string;
  /** Messages `firstIndex` … `firstIndex + count - 1` of the conversation (a cached profile is extended, not redone). */
  firstIndex: number;
  count: number;
  batchSize: number;
  /**
   * Batches written at once: 1 is the app's own pace (one batch after the other, as the inbox
   * pump hands them over); 2 prepares the next batch while the previous one is being written.
   */
  inFlight: number;
  /** Message `index` was sent at `firstSentAt + index * spacingMs`. */
  firstSentAt: number;
  spacingMs: number;
  /** Every `rareEvery`-th message carries the rare word; every message carries some common ones. */
  rareWord: string;
  rareEvery: number;
  /** Mark the conversation read afterwards (timed), as opening it would: an old history is a read one. */
  markRead: boolean;
};

/** What the seeder answers: the write's time, and the marking's with its steps. */
export type SeedResult = {
  added: number;
  milliseconds: number;
  markedRead: number;
  markReadMilliseconds: number;
  markReadChunk: number;
  /** Each step of the marking (the key read, then a transaction per chunk), in order. */
  markReadStepMilliseconds: number[];
  /** The history schema version the store opened at (Dexie's verno). */
  schemaVersion: number;
};
