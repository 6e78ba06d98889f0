import type { Kysely } from 'kysely';
import { rowsOfMarkers, type QueryShapes } from './queryShapes';
import type { Database } from './schema';

export type SendsRepository = ReturnType<typeof createSendsRepository>;

/** Who sent under which idempotency key: the identity of one send. */
export type SendKey = { accountId: string; deviceId: number; idempotencyKey: string };

/** Keys per lookup query: three parameters each, far below either engine's parameter limit. */
const KEYS_PER_QUERY = 500;
/** Rows per insert statement (four parameters each). */
const ROWS_PER_INSERT = 1_000;

const INSERT_COLUMNS = ['account_id', 'device_id', 'idempotency_key', 'server_timestamp'] as const;

/**
 * Idempotency records of successful sends: (account, device, key) → the first answer. The
 * batch lookup and insert run as compiled shapes (see QueryShapes).
 */
export function createSendsRepository(db: Kysely<Database>, shapes: QueryShapes) {
  return {
    /** The first answer of one send, unless it was stored before `notBefore` (past the idempotency window). */
    async find(accountId: string, deviceId: number, idempotencyKey: string, notBefore = 0): Promise<{ serverTimestamp: number } | undefined> {
      const row = await db
        .selectFrom('sends')
        .select('server_timestamp')
        .where('account_id', '=', accountId)
        .where('device_id', '=', deviceId)
        .where('idempotency_key', '=', idempotencyKey)
        .where('server_timestamp', '>=', notBefore)
        .executeTakeFirst();
      return row && { serverTimestamp: Number(row.server_timestamp) };
    },

    /**
     * The records of the given sends that were stored before, in no particular order, however
     * old: the caller tells those past its idempotency window apart (and `deleteExpired`s them).
     */
    async findMany(keys: readonly SendKey[]): Promise<Array<SendKey & { serverTimestamp: number }>> {
      const found: Array<SendKey & { serverTimestamp: number }> = [];
      for (let start = 0; start < keys.length; start += KEYS_PER_QUERY) {
        const chunk = keys.slice(start, start + KEYS_PER_QUERY);
        const values = chunk.flatMap((key) => [key.accountId, key.deviceId, key.idempotencyKey]);
        const { rows } = await shapes.run(db, `sends.findMany:${chunk.length}`, values, (markers) =>
          db
            .selectFrom('sends')
            .select(['account_id', 'device_id', 'idempotency_key', 'server_timestamp'])
            .where((where) =>
              where(
                where.refTuple('account_id', 'device_id', 'idempotency_key'),
                'in',
                chunk.map((_, index) => where.tuple(markers[index * 3] as never, markers[index * 3 + 1] as never, markers[index * 3 + 2] as never)),
              ),
            ),
        );
        for (const row of rows) {
          found.push({
            accountId: row.account_id,
            deviceId: row.device_id,
            idempotencyKey: row.idempotency_key,
            serverTimestamp: Number(row.server_timestamp),
          });
        }
      }
      return found;
    },

    /** Throws a unique violation when a concurrent send with one of the keys committed first. */
    async insertMany(sends: ReadonlyArray<SendKey & { serverTimestamp: number }>): Promise<void> {
      for (let start = 0; start < sends.length; start += ROWS_PER_INSERT) {
        const chunk = sends.slice(start, start + ROWS_PER_INSERT);
        const values = chunk.flatMap((send) => [send.accountId, send.deviceId, send.idempotencyKey, send.serverTimestamp]);
        await shapes.run(db, `sends.insert:${chunk.length}`, values, (markers) =>
          db.insertInto('sends').values(rowsOfMarkers(markers, INSERT_COLUMNS)),
        );
      }
    },

    /**
     * Deletes the records of these keys stored before `cutoff`, so the keys can be used again
     * before retention gets to them. A record stored since (by a concurrent send) stays.
     */
    async deleteExpired(keys: readonly SendKey[], cutoff: number): Promise<void> {
      for (let start = 0; start < keys.length; start += KEYS_PER_QUERY) {
        const chunk = keys.slice(start, start + KEYS_PER_QUERY);
        await db
          .deleteFrom('sends')
          .where((where) =>
            where(
              where.refTuple('account_id', 'device_id', 'idempotency_key'),
              'in',
              chunk.map((key) => where.tuple(key.accountId, key.deviceId, key.idempotencyKey)),
            ),
          )
          .where('server_timestamp', '<', cutoff)
          .execute();
      }
    },

    async deleteStoredBefore(cutoff: number, limit: number): Promise<number> {
      const result = await db
        .deleteFrom('sends')
        .where((where) =>
          where(
            where.refTuple('account_id', 'device_id', 'idempotency_key'),
            'in',
            where
              .selectFrom('sends')
              .select(['account_id', 'device_id', 'idempotency_key'])
              .where('server_timestamp', '<', cutoff)
              .limit(limit)
              .$asTuple('account_id', 'device_id', 'idempotency_key'),
          ),
        )
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
