import type { Kysely } from 'kysely';
import type { Database } from './schema';

export type ProfilesRepository = ReturnType<typeof createProfilesRepository>;

/** The accounts' sealed profiles (008-profiles) and avatars (009-avatars). */
export function createProfilesRepository(db: Kysely<Database>) {
  return {
    async put(accountId: string, version: string, ciphertext: string, day: number): Promise<void> {
      await db
        .insertInto('profiles')
        .values({ account_id: accountId, version, ciphertext, updated_day: day })
        .onConflict((conflict) => conflict.column('account_id').doUpdateSet({ version, ciphertext, updated_day: day }))
        .execute();
    },

    /** The sealed profile, only when `version` is the account's current one. */
    async get(accountId: string, version: string): Promise<string | undefined> {
      const row = await db.selectFrom('profiles').select('ciphertext').where('account_id', '=', accountId).where('version', '=', version).executeTakeFirst();
      return row?.ciphertext;
    },

    /** The profile and the avatar: both sealed with keys no device will use again. */
    async delete(accountId: string): Promise<void> {
      await db.deleteFrom('profiles').where('account_id', '=', accountId).execute();
      await db.deleteFrom('avatars').where('account_id', '=', accountId).execute();
    },

    async putAvatar(accountId: string, version: string, ciphertext: string, day: number): Promise<void> {
      await db
        .insertInto('avatars')
        .values({ account_id: accountId, version, ciphertext, updated_day: day })
        .onConflict((conflict) => conflict.column('account_id').doUpdateSet({ version, ciphertext, updated_day: day }))
        .execute();
    },

    /** The sealed avatar, only when `version` is the account's current avatar key's. */
    async getAvatar(accountId: string, version: string): Promise<string | undefined> {
      const row = await db.selectFrom('avatars').select('ciphertext').where('account_id', '=', accountId).where('version', '=', version).executeTakeFirst();
      return row?.ciphertext;
    },

    async deleteAvatar(accountId: string): Promise<void> {
      await db.deleteFrom('avatars').where('account_id', '=', accountId).execute();
    },
  };
}
