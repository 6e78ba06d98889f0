/** What bench/appStartup asks the in-page seeder (page/historySeeder.ts) to write. */
export type SeedRequest = {
  accountId: string;
  /** base64, from window.parley.account.historyKey(). */
  storageKey: string;
  peerAccountId: string;
  count: number;
  batchSize: number;
  /** The oldest message's time; each next one is a minute later. */
  firstSentAt: number;
  /** Every `rareEvery`-th message carries the rare word; every message carries some common ones. */
  rareWord: string;
  rareEvery: number;
};
