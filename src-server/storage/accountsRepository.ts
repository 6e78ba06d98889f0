import type { Kysely } from 'kysely';
import type { DialectName } from './dialect';
import type { Database } from './schema';

export type AccountRecord = {
  id: string;
  username: string;
  passwordHash: string;
  identityKey: string;
};

export type AccountsRepository = ReturnType<typeof createAccountsRepository>;

export function createAccountsRepository(db: Kysely<Database>, dialect: DialectName) {
  const columns = ['id', 'username', 'password_hash', 'identity_key'] as const;
  const toRecord = (row: { id: string; username: string; password_hash: string; identity_key: string }): AccountRecord => ({
    id: row.id,
    username: row.username,
    passwordHash: row.password_hash,
    identityKey: row.identity_key,
  });

  return {
    /** Throws a unique violation (see isUniqueViolation) when the username is taken. */
    async insert(account: AccountRecord & { createdDay: number }): Promise<void> {
      await db
        .insertInto('accounts')
        .values({
          id: account.id,
          username: account.username,
          password_hash: account.passwordHash,
          identity_key: account.identityKey,
          created_day: account.createdDay,
        })
        .execute();
    },

    /**
     * The id for the account's next device: one past the highest ever given, so a removed
     * device's id is not given again while there are fresh ones (1 to `maxId`); when they are
     * used up, the lowest free one. Records it. Call inside the transaction that adds the device,
     * after findByIdForUpdate.
     */
    async claimDeviceId(accountId: string, used: ReadonlySet<number>, maxId: number): Promise<number | undefined> {
      const row = await db.selectFrom('accounts').select('last_device_id').where('id', '=', accountId).executeTakeFirst();
      const last = Math.max(Number(row?.last_device_id ?? 0), ...used);
      let candidate = last + 1;
      if (candidate > maxId) {
        candidate = 1;
        while (used.has(candidate)) candidate++;
        if (candidate > maxId) return undefined;
      }
      await db.updateTable('accounts').set({ last_device_id: Math.max(last, candidate) }).where('id', '=', accountId).execute();
      return candidate;
    },

    /** The account's identity key, replaced by a fresh start (every device of the old one is gone). */
    async setIdentityKey(id: string, identityKey: string): Promise<void> {
      await db.updateTable('accounts').set({ identity_key: identityKey }).where('id', '=', id).execute();
    },

    async findById(id: string): Promise<AccountRecord | undefined> {
      const row = await db.selectFrom('accounts').select(columns).where('id', '=', id).executeTakeFirst();
      return row && toRecord(row);
    },

    /** Which of the given account ids exist. */
    async existingIds(ids: readonly string[]): Promise<Set<string>> {
      if (ids.length === 0) return new Set();
      const rows = await db.selectFrom('accounts').select('id').where('id', 'in', ids).execute();
      return new Set(rows.map((row) => row.id));
    },

    /**
     * A3: the account's new username (normalised); its old one is held for it from `day` on.
     * Throws a unique violation when another account has the new one. Run in a transaction.
     */
    async setUsername(id: string, username: string, previous: string, day: number): Promise<void> {
      await db.updateTable('accounts').set({ username }).where('id', '=', id).execute();
      await db.deleteFrom('released_usernames').where('username', 'in', [username, previous]).execute();
      await db.insertInto('released_usernames').values({ username: previous, account_id: id, released_day: day }).execute();
    },

    /** The account a username was released by on `sinceDay` or later, if any. */
    async releasedBy(username: string, sinceDay: number): Promise<string | undefined> {
      const row = await db.selectFrom('released_usernames').select('account_id').where('username', '=', username).where('released_day', '>=', sinceDay).executeTakeFirst();
      return row?.account_id;
    },

    /** Forgets the holds older than `beforeDay`. */
    async purgeReleased(beforeDay: number): Promise<void> {
      await db.deleteFrom('released_usernames').where('released_day', '<', beforeDay).execute();
    },

    /** `username` must already be normalised (lower-case). */
    async findByUsername(username: string): Promise<AccountRecord | undefined> {
      const row = await db.selectFrom('accounts').select(columns).where('username', '=', username).executeTakeFirst();
      return row && toRecord(row);
    },

    /**
     * Reads the account and, on PostgreSQL, holds its row lock until the transaction ends, so
     * concurrent device additions to one account run one after another. (SQLite transactions
     * are serial already.)
     */
    async findByIdForUpdate(id: string): Promise<AccountRecord | undefined> {
      const row = await db
        .selectFrom('accounts')
        .select(columns)
        .where('id', '=', id)
        .$if(dialect === 'postgres', (query) => query.forUpdate())
        .executeTakeFirst();
      return row && toRecord(row);
    },
  };
}
