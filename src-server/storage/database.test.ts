import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/backends';
import { openDatabase } from './database';
import { migrateToLatest } from './migrator';
import { createStorage } from './storage';

const ACCOUNT = '11111111-1111-4111-8111-111111111111';
const SENDER = '22222222-2222-4222-8222-222222222222';

describe('SQLite storage', () => {
  const databases: TestDatabase[] = [];
  afterEach(async () => {
    for (const database of databases.splice(0)) await database.dispose();
  });

  it('opens with secure_delete on and a WAL that is truncated when it restarts', async () => {
    const database = createTestDatabase({ name: 'sqlite' });
    databases.push(database);
    const handle = await openDatabase(database);
    try {
      const pragma = async (name: string) =>
        Object.values((await sql.raw(`pragma ${name}`).execute(handle.db)).rows[0] as Record<string, unknown>)[0];
      expect(await pragma('secure_delete')).toBe(1);
      expect(await pragma('journal_size_limit')).toBe(0);
    } finally {
      await handle.close();
    }
  });

  it('leaves no byte of an acked envelope’s body in its files', async () => {
    const database = createTestDatabase({ name: 'sqlite' });
    databases.push(database);
    const handle = await openDatabase(database);
    const storage = createStorage(handle);
    try {
      await migrateToLatest(handle);
      await storage.accounts.insert({ id: ACCOUNT, username: 'forgetful', passwordHash: 'h', identityKey: 'k', createdDay: 1 });
      await storage.devices.insert({
        accountId: ACCOUNT,
        deviceId: 1,
        name: 'd',
        registrationId: 1,
        secretHash: 'x',
        signedPreKey: { keyId: 1, publicKey: 'AAAA', signature: 'AAAA' },
        kyberLastResortPreKey: { keyId: 1, publicKey: 'AAAA', signature: 'AAAA' },
        day: 1,
      });
      // A small body (inside its row's page) and a large one (on overflow pages); each a marker
      // no other content contains, as the base64 text the server stores.
      const small = Buffer.from('PARLEY-SECURE-DELETE-SMALL-'.repeat(4)).toString('base64');
      const large = Buffer.from('PARLEY-SECURE-DELETE-LARGE-'.repeat(2_000)).toString('base64');
      const envelope = (id: string, body: string) => ({
        id,
        destinationAccountId: ACCOUNT,
        destinationDeviceId: 1,
        sourceAccountId: SENDER,
        sourceDeviceId: 1,
        ciphertextType: 2 as const,
        body,
        serverTimestamp: 1,
        clientTimestamp: 1,
      });
      await storage.envelopes.insertMany([envelope('small-one', small), envelope('large-one', large)]);
      await storage.envelopes.insertMany([envelope('kept-one', 'AAAA')]);
      await sql`pragma wal_checkpoint(TRUNCATE)`.execute(handle.db);
      const fileBytes = () =>
        Buffer.concat(
          readdirSync(database.dataDir).map((name) => readFileSync(join(database.dataDir, name))),
        );
      const probes = [small.slice(0, 40), large.slice(0, 40), large.slice(large.length / 2, large.length / 2 + 40)];
      // The scan finds the bodies while they are queued, so it would find leftovers too.
      for (const probe of probes) expect(fileBytes().includes(probe)).toBe(true);

      expect(await storage.envelopes.deleteAcked(ACCOUNT, 1, ['small-one', 'large-one'])).toMatchObject({ deleted: 2 });
      await sql`pragma wal_checkpoint(TRUNCATE)`.execute(handle.db);
      const after = fileBytes();
      for (const probe of probes) expect(after.includes(probe)).toBe(false);
      expect(await storage.envelopes.countFor(ACCOUNT, 1)).toBe(1);
    } finally {
      await storage.close();
    }
  });
});
