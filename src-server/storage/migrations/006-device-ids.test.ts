import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, testBackends, type TestDatabase } from '../../testing/backends';
import { legacyDeviceRow } from '../../testing/legacyRows';
import { openDatabase } from '../database';
import { allMigrations, migrateToLatest } from '../migrator';

const ACCOUNTS = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222'];

describe.each(testBackends())('migration 006-device-ids on $name', (backend) => {
  const databases: TestDatabase[] = [];
  afterEach(async () => {
    for (const database of databases.splice(0)) await database.dispose();
  });

  it('starts each account past the highest device id it has', async () => {
    const database = createTestDatabase(backend);
    databases.push(database);
    const handle = await openDatabase(database);
    try {
      const all = allMigrations(handle.dialect);
      const before = Object.fromEntries(Object.entries(all).filter(([name]) => name < '006'));
      await migrateToLatest(handle, before);
      for (const [index, id] of ACCOUNTS.entries()) {
        await handle.db.insertInto('accounts').values({ id, username: `old_${index}`, password_hash: 'h', identity_key: 'k', created_day: 1 }).execute();
      }
      for (const deviceId of [1, 5]) {
        await handle.db.insertInto('devices').values(legacyDeviceRow(ACCOUNTS[0]!, deviceId)).execute();
      }
      expect(await migrateToLatest(handle)).toEqual(Object.keys(all).filter((name) => name >= '006'));
      const rows = await handle.db.selectFrom('accounts').select(['id', 'last_device_id']).orderBy('id').execute();
      expect(rows.map((row) => [row.id, Number(row.last_device_id)])).toEqual([
        [ACCOUNTS[0], 5],
        [ACCOUNTS[1], 0],
      ]);
    } finally {
      await handle.close();
    }
  });
});
