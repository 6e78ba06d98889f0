import type { Kysely, Migration } from 'kysely';

/**
 * Sealed profiles (A2): one row per account, the sealed bytes under the profile key's version.
 * The server can read neither: the key never reaches it.
 */
export function profilesMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('profiles')
        .addColumn('account_id', 'text', (column) => column.primaryKey().references('accounts.id').onDelete('cascade'))
        .addColumn('version', 'text', (column) => column.notNull())
        .addColumn('ciphertext', 'text', (column) => column.notNull())
        .addColumn('updated_day', 'integer', (column) => column.notNull())
        .execute();
    },
  };
}
