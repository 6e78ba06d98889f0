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
