import type { Kysely } from 'kysely';
import type { Database } from './schema';

export type ProfilesRepository = ReturnType<typeof createProfilesRepository>;

/** One sealed thing per account under its key's version: a profile (008-profiles) or an avatar (009-avatars). */
function sealedPerAccount(db: Kysely<Database>, table: 'profiles' | 'avatars') {
  return {
    async put(accountId: string, version: string, ciphertext: string, day: number): Promise<void> {
      await db
        .insertInto(table)
        .values({ account_id: accountId, version, ciphertext, updated_day: day })
        .onConflict((conflict) => conflict.column('account_id').doUpdateSet({ version, ciphertext, updated_day: day }))
        .execute();
    },

    /** The sealed bytes, only when `version` is the account's current one. */
    async get(accountId: string, version: string): Promise<string | undefined> {
      const row = await db.selectFrom(table).select('ciphertext').where('account_id', '=', accountId).where('version', '=', version).executeTakeFirst();
      return row?.ciphertext;
    },

    async delete(accountId: string): Promise<void> {
      await db.deleteFrom(table).where('account_id', '=', accountId).execute();
    },
  };
}

/** The accounts' sealed profiles and avatars. */
export function createProfilesRepository(db: Kysely<Database>) {
  const profiles = sealedPerAccount(db, 'profiles');
  const avatars = sealedPerAccount(db, 'avatars');
  return {
    put: profiles.put,
    get: profiles.get,
    /** The profile and the avatar: both sealed with keys no device will use again. */
    async delete(accountId: string): Promise<void> {
      await profiles.delete(accountId);
      await avatars.delete(accountId);
    },
    putAvatar: avatars.put,
    getAvatar: avatars.get,
    deleteAvatar: avatars.delete,
  };
}
