import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, testBackends, type TestDatabase } from '../../testing/backends';
import { legacyDeviceRow } from '../../testing/legacyRows';
import { openDatabase } from '../database';
import { createDevicesRepository } from '../devicesRepository';
import { allMigrations, migrateToLatest } from '../migrator';

const ACCOUNT = '11111111-1111-4111-8111-111111111111';

describe.each(testBackends())('migration 003-device-details on $name', (backend) => {
  const databases: TestDatabase[] = [];
  afterEach(async () => {
    for (const database of databases.splice(0)) await database.dispose();
  });

  it('keeps the devices a 002 database holds, listed as platform other with empty versions', async () => {
    const database = createTestDatabase(backend);
    databases.push(database);
    const handle = await openDatabase(database);
    try {
      const migrations = allMigrations(handle.dialect);
      const upTo002 = { '001-initial': migrations['001-initial']!, '002-queued-bytes': migrations['002-queued-bytes']! };
      expect(await migrateToLatest(handle, upTo002)).toEqual(['001-initial', '002-queued-bytes']);

      await handle.db.insertInto('accounts').values({ id: ACCOUNT, username: 'old_device', password_hash: 'h', identity_key: 'k', created_day: 20_000 }).execute();
      for (const [deviceId, name] of [
        [1, 'Desk'],
        [2, 'Laptop'],
      ] as const) {
        await handle.db
          .insertInto('devices')
          .values(legacyDeviceRow(ACCOUNT, deviceId, { name, registrationId: 7, createdDay: 20_000 + deviceId, lastSeenDay: 20_010 }))
          .execute();
      }

      expect(await migrateToLatest(handle, { ...upTo002, '003-device-details': migrations['003-device-details']! })).toEqual(['003-device-details']);
      const devices = createDevicesRepository(handle.db, handle.dialect);
      expect(await devices.listSessions(ACCOUNT)).toEqual([
        { deviceId: 1, name: 'Desk', platform: 'other', osVersion: '', appVersion: '', createdDay: 20_001, lastSeenDay: 20_010 },
        { deviceId: 2, name: 'Laptop', platform: 'other', osVersion: '', appVersion: '', createdDay: 20_002, lastSeenDay: 20_010 },
      ]);
      expect((await devices.find(ACCOUNT, 2))?.registrationId).toBe(7);
    } finally {
      await handle.close();
    }
  });
});
