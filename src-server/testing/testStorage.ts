import { openDatabase } from '../storage/database';
import { migrateToLatest } from '../storage/migrator';
import { createStorage, type Storage } from '../storage/storage';
import { createTestDatabase, type TestBackend } from './backends';

/** Migrated storage on a fresh temporary database, for tests below the gateway. */
export async function openTestStorage(backend: TestBackend): Promise<{ storage: Storage; dispose(): Promise<void> }> {
  const database = createTestDatabase(backend);
  const handle = await openDatabase(database);
  await migrateToLatest(handle);
  const storage = createStorage(handle);
  return {
    storage,
    async dispose() {
      await storage.close();
      await database.dispose();
    },
  };
}
