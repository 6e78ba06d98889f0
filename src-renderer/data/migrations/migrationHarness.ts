import { Dexie } from 'dexie';
import { openHistoryStore, type HistoryStore } from '../historyStore';
import type { HistoryMigration } from './historyMigration';
import { historyMigrations } from './historyMigrations';

/**
 * For migration tests (CONVENTIONS habit 9): build a history as an older version left it,
 * sealed as that version sealed it, then open it with the versions after it, the way a user's
 * profile is upgraded. Each new migration's test seeds at the version before it and asserts on
 * what the upgrade made of that data.
 */

export type HarnessOptions = {
  name: string;
  storageKey: Uint8Array;
  accountId: string;
  /** Every version by default; a test of a migration not yet released passes its own list. */
  migrations?: readonly HistoryMigration[];
};

/**
 * Opens the history with the versions up to `version` only, lets `seed` write through the
 * encryption middleware (tables by name, since older schemas lack newer tables), and closes it.
 */
export async function seedHistoryAtVersion(
  options: HarnessOptions & { version: number; seed: (db: Dexie) => Promise<void> },
): Promise<void> {
  const migrations = (options.migrations ?? historyMigrations).filter((migration) => migration.version <= options.version);
  const store = await openHistoryStore({ ...options, migrations });
  try {
    await options.seed(store.db);
  } finally {
    store.close();
  }
}

/** Opens the same history with every version (or the given list): this runs the upgrades. */
export async function openUpgradedHistory(options: HarnessOptions): Promise<HistoryStore> {
  return openHistoryStore(options);
}

/** The schema IndexedDB really holds, read without Dexie's declared versions: table → index specs. */
export async function readStoredSchema(name: string): Promise<{ version: number; tables: Record<string, string[]> }> {
  const raw = new Dexie(name);
  await raw.open();
  try {
    const tables: Record<string, string[]> = {};
    for (const table of raw.tables) {
      tables[table.name] = [table.schema.primKey.src, ...table.schema.indexes.map((index) => index.src)];
    }
    return { version: raw.verno, tables };
  } finally {
    raw.close();
  }
}
