import type { Transaction } from 'dexie';

/**
 * One Dexie version of the history store. `stores` lists only the tables this version adds or
 * changes (Dexie carries the rest forward); `upgrade` rewrites existing rows, and runs through
 * the encryption middleware, so it reads and writes plain records.
 */
export type HistoryMigration = {
  version: number;
  stores: Record<string, string | null>;
  upgrade?: (transaction: Transaction) => Promise<void>;
};
