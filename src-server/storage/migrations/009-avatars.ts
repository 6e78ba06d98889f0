import type { Kysely, Migration } from 'kysely';

/**
 * Sealed avatars (A4): at most one per account, the sealed image under its avatar key's
 * version. A new key replaces the row, so whoever was left out of a rotation finds nothing.
 */
export function avatarsMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('avatars')
        .addColumn('account_id', 'text', (column) => column.primaryKey().references('accounts.id').onDelete('cascade'))
        .addColumn('version', 'text', (column) => column.notNull())
        .addColumn('ciphertext', 'text', (column) => column.notNull())
        .addColumn('updated_day', 'integer', (column) => column.notNull())
        .execute();
    },
  };
}
