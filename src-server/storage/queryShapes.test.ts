import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testBackends, type TestDatabase } from '../testing/backends';
import { openDatabase, type DatabaseHandle } from './database';
import { migrateToLatest } from './migrator';
import { QueryShapes, rowsOfMarkers } from './queryShapes';

describe.each(testBackends())('query shapes on $name', (backend) => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  beforeAll(async () => {
    database = createTestDatabase(backend);
    handle = await openDatabase(database);
    await migrateToLatest(handle);
  });
  afterAll(async () => {
    await handle.close();
    await database.dispose();
  });

  const insertAccounts = (shapes: QueryShapes, accounts: Array<[string, string]>) =>
    shapes.run(
      handle.db,
      `accounts.insert:${accounts.length}`,
      accounts.flatMap(([id, username]) => [id, username, 'hash', 'key', 1]),
      (markers) => handle.db.insertInto('accounts').values(rowsOfMarkers(markers, ['id', 'username', 'password_hash', 'identity_key', 'created_day'])),
    );
  const usernamesOf = (shapes: QueryShapes, ids: string[]) =>
    shapes
      .run(handle.db, `accounts.usernames:${ids.length}`, ids, (markers) =>
        handle.db.selectFrom('accounts').select('username').where('id', 'in', markers as never[]).orderBy('username'),
      )
      .then((result) => result.rows.map((row) => row.username));

  it('compiles a shape once and runs it with each call’s own values', async () => {
    const shapes = new QueryShapes();
    await insertAccounts(shapes, [
      ['shape-a', 'shape_a'],
      ['shape-b', 'shape_b'],
    ]);
    await insertAccounts(shapes, [
      ['shape-c', 'shape_c'],
      ['shape-d', 'shape_d'],
    ]);
    expect(await usernamesOf(shapes, ['shape-a', 'shape-d'])).toEqual(['shape_a', 'shape_d']);
    expect(await usernamesOf(shapes, ['shape-b', 'shape-c'])).toEqual(['shape_b', 'shape_c']);
    expect(await usernamesOf(shapes, ['shape-b'])).toEqual(['shape_b']);
  });

  it('keeps working past its capacity, compiling evicted shapes again', async () => {
    const shapes = new QueryShapes(2);
    for (let round = 0; round < 2; round++) {
      for (const count of [1, 2, 3]) {
        const ids = ['shape-a', 'shape-b', 'shape-c'].slice(0, count);
        expect(await usernamesOf(shapes, ids)).toHaveLength(count);
      }
    }
  });

  it('refuses a shape that would bake a value into its SQL text', () => {
    const shapes = new QueryShapes();
    expect(() =>
      shapes.run(handle.db, 'inlined', ['shape-a'], (markers) =>
        handle.db.selectFrom('accounts').select('username').where(sql.raw(`id = '${markers[0]}'`) as never),
      ),
    ).toThrow(/every value must be exactly one parameter/);
  });
});
