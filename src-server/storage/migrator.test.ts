import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, testBackends, type TestDatabase } from '../testing/backends';
import { openDatabase } from './database';
import { allMigrations, migrateToLatest } from './migrator';

describe.each(testBackends())('migrations on $name', (backend) => {
  const databases: TestDatabase[] = [];
  afterEach(async () => {
    for (const database of databases.splice(0)) await database.dispose();
  });

  it('bring an empty database to the latest schema once, and do nothing the second time', async () => {
    const database = createTestDatabase(backend);
    databases.push(database);
    const handle = await openDatabase(database);
    try {
      expect(await migrateToLatest(handle)).toEqual(Object.keys(allMigrations(handle.dialect)));
      expect(await migrateToLatest(handle)).toEqual([]);
      const tables = (await handle.db.introspection.getTables()).map((table) => table.name).sort();
      expect(tables).toEqual(expect.arrayContaining(['accounts', 'devices', 'envelopes', 'kyber_pre_keys', 'pre_keys', 'sends']));
    } finally {
      await handle.close();
    }
  });

  it('keep data across a reopen', async () => {
    const database = createTestDatabase(backend);
    databases.push(database);
    const first = await openDatabase(database);
    await migrateToLatest(first);
    await first.db
      .insertInto('accounts')
      .values({ id: 'a', username: 'kept', password_hash: 'h', identity_key: 'k', created_day: 1 })
      .execute();
    await first.close();

    const second = await openDatabase(database);
    try {
      expect(await migrateToLatest(second)).toEqual([]);
      const row = await second.db.selectFrom('accounts').select('username').where('id', '=', 'a').executeTakeFirst();
      expect(row).toEqual({ username: 'kept' });
    } finally {
      await second.close();
    }
  });

  if (backend.name === 'sqlite') {
    it('open SQLite in WAL mode with full sync and foreign keys on', async () => {
      const database = createTestDatabase(backend);
      databases.push(database);
      const handle = await openDatabase(database);
      try {
        const pragma = async (name: string) =>
          Object.values((await sql.raw(`pragma ${name}`).execute(handle.db)).rows[0] as Record<string, unknown>)[0];
        expect(await pragma('journal_mode')).toBe('wal');
        expect(await pragma('synchronous')).toBe(2);
        expect(await pragma('foreign_keys')).toBe(1);
      } finally {
        await handle.close();
      }
    });
  } else {
    it('keep each PostgreSQL schema apart', async () => {
      const one = createTestDatabase(backend);
      const two = createTestDatabase(backend);
      databases.push(one, two);
      const first = await openDatabase(one);
      const second = await openDatabase(two);
      try {
        await migrateToLatest(first);
        await migrateToLatest(second);
        await first.db
          .insertInto('accounts')
          .values({ id: 'a', username: 'only_in_one', password_hash: 'h', identity_key: 'k', created_day: 1 })
          .execute();
        expect(await second.db.selectFrom('accounts').selectAll().execute()).toEqual([]);
      } finally {
        await first.close();
        await second.close();
      }
    });
  }
});
