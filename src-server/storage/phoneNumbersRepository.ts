import type { Kysely } from 'kysely';
import type { Database } from './schema';

export type PhoneNumberRow = { accountId: string; numberSealed: string; discoverable: boolean };
export type PhoneNumbersRepository = ReturnType<typeof createPhoneNumbersRepository>;

/** Verified phone numbers (010-phone-numbers), by account and by keyed hash. */
export function createPhoneNumbersRepository(db: Kysely<Database>) {
  return {
    /** The account's number; whoever verified `hash` before loses it (a number has one account). Run in a transaction. */
    async put(accountId: string, hash: string, sealed: string, day: number): Promise<void> {
      await db.deleteFrom('phone_numbers').where('number_hash', '=', hash).where('account_id', '!=', accountId).execute();
      await db
        .insertInto('phone_numbers')
        .values({ account_id: accountId, number_hash: hash, number_sealed: sealed, discoverable: 1, verified_day: day })
        .onConflict((conflict) => conflict.column('account_id').doUpdateSet({ number_hash: hash, number_sealed: sealed, verified_day: day }))
        .execute();
    },

    async ofAccount(accountId: string): Promise<PhoneNumberRow | undefined> {
      const row = await db.selectFrom('phone_numbers').select(['account_id', 'number_sealed', 'discoverable']).where('account_id', '=', accountId).executeTakeFirst();
      return row && { accountId: row.account_id, numberSealed: row.number_sealed, discoverable: row.discoverable === 1 };
    },

    /** The account holding `hash`, only while it lets itself be found by it. */
    async discoverableAccount(hash: string): Promise<string | undefined> {
      const row = await db.selectFrom('phone_numbers').select('account_id').where('number_hash', '=', hash).where('discoverable', '=', 1).executeTakeFirst();
      return row?.account_id;
    },

    /** False when the account has no number. */
    async setDiscoverable(accountId: string, discoverable: boolean): Promise<boolean> {
      const result = await db.updateTable('phone_numbers').set({ discoverable: discoverable ? 1 : 0 }).where('account_id', '=', accountId).executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async countAll(): Promise<number> {
      const row = await db.selectFrom('phone_numbers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
      return Number(row?.n ?? 0);
    },

    async delete(accountId: string): Promise<void> {
      await db.deleteFrom('phone_numbers').where('account_id', '=', accountId).execute();
    },
  };
}
