import type { Kysely } from 'kysely';
import type { Database } from './schema';

export type SyncedContactsRepository = ReturnType<typeof createSyncedContactsRepository>;

/** Synced contacts (011-synced-contacts): keyed hashes per account. */
export function createSyncedContactsRepository(db: Kysely<Database>) {
  return {
    /** The account's set becomes `hashes`. Run in a transaction. */
    async replace(accountId: string, hashes: string[]): Promise<void> {
      await db.deleteFrom('synced_contacts').where('account_id', '=', accountId).execute();
      for (let start = 0; start < hashes.length; start += 500) {
        const rows = hashes.slice(start, start + 500).map((hash) => ({ account_id: accountId, number_hash: hash }));
        if (rows.length > 0) await db.insertInto('synced_contacts').values(rows).onConflict((conflict) => conflict.doNothing()).execute();
      }
    },

    async deleteAll(accountId: string): Promise<void> {
      await db.deleteFrom('synced_contacts').where('account_id', '=', accountId).execute();
    },

    async count(accountId: string): Promise<number> {
      const row = await db.selectFrom('synced_contacts').select((eb) => eb.fn.countAll<number>().as('n')).where('account_id', '=', accountId).executeTakeFirst();
      return Number(row?.n ?? 0);
    },

    /** Of `hashes`, those a discoverable account has verified, with that account. */
    async discoverableAmong(hashes: string[]): Promise<Array<{ hash: string; accountId: string; username: string }>> {
      const found: Array<{ hash: string; accountId: string; username: string }> = [];
      for (let start = 0; start < hashes.length; start += 500) {
        const slice = hashes.slice(start, start + 500);
        if (slice.length === 0) continue;
        const rows = await db
          .selectFrom('phone_numbers')
          .innerJoin('accounts', 'accounts.id', 'phone_numbers.account_id')
          .select(['phone_numbers.number_hash as hash', 'accounts.id as accountId', 'accounts.username as username'])
          .where('phone_numbers.number_hash', 'in', slice)
          .where('phone_numbers.discoverable', '=', 1)
          .execute();
        found.push(...rows);
      }
      return found;
    },
  };
}
