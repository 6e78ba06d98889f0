import type { Kysely } from 'kysely';
import type { Database } from './schema';

export type SendsRepository = ReturnType<typeof createSendsRepository>;

/** Idempotency records of successful sends: (account, device, key) → the first answer. */
export function createSendsRepository(db: Kysely<Database>) {
  return {
    async find(accountId: string, deviceId: number, idempotencyKey: string): Promise<{ serverTimestamp: number } | undefined> {
      const row = await db
        .selectFrom('sends')
        .select('server_timestamp')
        .where('account_id', '=', accountId)
        .where('device_id', '=', deviceId)
        .where('idempotency_key', '=', idempotencyKey)
        .executeTakeFirst();
      return row && { serverTimestamp: Number(row.server_timestamp) };
    },

    /** Throws a unique violation when a concurrent send with the same key committed first. */
    async insert(accountId: string, deviceId: number, idempotencyKey: string, serverTimestamp: number): Promise<void> {
      await db
        .insertInto('sends')
        .values({ account_id: accountId, device_id: deviceId, idempotency_key: idempotencyKey, server_timestamp: serverTimestamp })
        .execute();
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
