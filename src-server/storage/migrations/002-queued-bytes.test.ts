import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, testBackends, type TestDatabase } from '../../testing/backends';
import { legacyDeviceRow } from '../../testing/legacyRows';
import { openDatabase } from '../database';
import { allMigrations, migrateToLatest } from '../migrator';
import { queuedBytesOf } from '../queuedBytes';

const ACCOUNT = '11111111-1111-4111-8111-111111111111';
const SENDER = '22222222-2222-4222-8222-222222222222';

describe.each(testBackends())('migration 002-queued-bytes on $name', (backend) => {
  const databases: TestDatabase[] = [];
  afterEach(async () => {
    for (const database of databases.splice(0)) await database.dispose();
  });

  it('counts the queues a 001 database already holds, device by device', async () => {
    const database = createTestDatabase(backend);
    databases.push(database);
    const handle = await openDatabase(database);
    try {
      const migrations = allMigrations(handle.dialect);
      expect(await migrateToLatest(handle, { '001-initial': migrations['001-initial']! })).toEqual(['001-initial']);

      await handle.db.insertInto('accounts').values({ id: ACCOUNT, username: 'old_queue', password_hash: 'h', identity_key: 'k', created_day: 1 }).execute();
      for (const deviceId of [1, 2, 3]) {
        await handle.db.insertInto('devices').values(legacyDeviceRow(ACCOUNT, deviceId)).execute();
      }
      // Device 1: bodies of every padding; device 2: one large body; device 3: nothing queued.
      const bodies: Record<number, string[]> = {
        1: [randomBytes(30).toString('base64'), randomBytes(31).toString('base64'), randomBytes(32).toString('base64'), 'AAA'],
        2: [randomBytes(200_000).toString('base64')],
      };
      let seq = 0;
      for (const [deviceId, list] of Object.entries(bodies)) {
        for (const body of list) {
          await handle.db
            .insertInto('envelopes')
            .values({
              id: `envelope-${++seq}`,
              destination_account_id: ACCOUNT,
              destination_device_id: Number(deviceId),
              source_account_id: SENDER,
              source_device_id: 1,
              ciphertext_type: 2,
              body,
              server_timestamp: 1,
              client_timestamp: 1,
            })
            .execute();
        }
      }

      const upTo002 = { '001-initial': migrations['001-initial']!, '002-queued-bytes': migrations['002-queued-bytes']! };
      expect(await migrateToLatest(handle, upTo002)).toEqual(['002-queued-bytes']);
      const rows = await handle.db.selectFrom('devices').select(['device_id', 'queued_bytes']).orderBy('device_id').execute();
      const sum = (list: string[] = []) => list.reduce((total, body) => total + queuedBytesOf(body), 0);
      expect(rows.map((row) => [row.device_id, Number(row.queued_bytes)])).toEqual([
        [1, sum(bodies[1])],
        [2, 200_000],
        [3, 0],
      ]);
      expect(sum(bodies[1])).toBe(30 + 31 + 32 + 2);
    } finally {
      await handle.close();
    }
  });
});
