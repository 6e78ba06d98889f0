import type { Kysely } from 'kysely';
import type { ArchiveItem, ArchivePage } from '../../src-shared/protocol/archive';
import type { Database } from './schema';

export type ArchiveRepository = ReturnType<typeof createArchiveRepository>;

/** Rows per insert statement (four parameters each). */
const ROWS_PER_INSERT = 250;

/** The accounts' archive items (005-archive) and each account's archive switch. */
export function createArchiveRepository(db: Kysely<Database>) {
  return {
    /** Stores the items whose id the account has not used; answers how many were new. */
    async append(accountId: string, day: number, items: readonly ArchiveItem[]): Promise<number> {
      let stored = 0;
      for (let start = 0; start < items.length; start += ROWS_PER_INSERT) {
        const rows = items.slice(start, start + ROWS_PER_INSERT).map((item) => ({ account_id: accountId, item_id: item.id, day, body: item.body }));
        const result = await db
          .insertInto('archive_items')
          .values(rows)
          .onConflict((conflict) => conflict.columns(['account_id', 'item_id']).doNothing())
          .executeTakeFirst();
        stored += Number(result.numInsertedOrUpdatedRows ?? 0);
      }
      return stored;
    },

    /** Items after `after` (a seq), oldest first; with `withCount`, also how many there are after it. */
    async page(accountId: string, after: number, limit: number, withCount = false): Promise<ArchivePage> {
      const rows = await db
        .selectFrom('archive_items')
        .select(['seq', 'item_id', 'day', 'body'])
        .where('account_id', '=', accountId)
        .where('seq', '>', after)
        .orderBy('seq')
        .limit(limit + 1)
        .execute();
      const items = rows.slice(0, limit).map((row) => ({ seq: Number(row.seq), id: row.item_id, day: row.day, body: row.body }));
      const next = rows.length > limit ? items[items.length - 1]!.seq : null;
      if (!withCount) return { items, next };
      const counted = await db
        .selectFrom('archive_items')
        .select((eb) => eb.fn.countAll<number | string | bigint>().as('remaining'))
        .where('account_id', '=', accountId)
        .where('seq', '>', after)
        .executeTakeFirstOrThrow();
      return { items, next, remaining: Number(counted.remaining) };
    },

    async deleteAll(accountId: string): Promise<void> {
      await db.deleteFrom('archive_items').where('account_id', '=', accountId).execute();
    },

    /** Deletes up to `limit` items stored before `day`; answers how many. */
    async deleteStoredBefore(day: number, limit: number): Promise<number> {
      const doomed = db.selectFrom('archive_items').select('seq').where('day', '<', day).orderBy('seq').limit(limit);
      const result = await db.deleteFrom('archive_items').where('seq', 'in', doomed).executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    /** Whether the account keeps an archive, and its epoch (how many times it was switched off). */
    async state(accountId: string): Promise<{ enabled: boolean; epoch: number }> {
      const row = await db.selectFrom('accounts').select(['archive_enabled', 'archive_epoch']).where('id', '=', accountId).executeTakeFirst();
      return { enabled: row !== undefined && Number(row.archive_enabled) === 1, epoch: Number(row?.archive_epoch ?? 0) };
    },

    /** A new epoch without switching (a fresh start): what any device staged before is never taken. */
    async startNewEpoch(accountId: string): Promise<void> {
      await db
        .updateTable('accounts')
        .set((eb) => ({ archive_epoch: eb('archive_epoch', '+', 1) }))
        .where('id', '=', accountId)
        .execute();
    },

    /** Switching off starts a new epoch: what was staged before it is never taken. */
    async setEnabled(accountId: string, enabled: boolean): Promise<void> {
      await db
        .updateTable('accounts')
        .set((eb) => ({ archive_enabled: enabled ? 1 : 0, ...(!enabled && { archive_epoch: eb('archive_epoch', '+', 1) }) }))
        .where('id', '=', accountId)
        .execute();
    },
  };
}
