import type { Kysely, Migration } from 'kysely';

/**
 * Usernames given up by a change (A3): held for the account that had them for a few days, so
 * nobody can take a name the moment it is released and appear under it to people who still
 * have the old one cached. The day only, as everywhere (H4).
 */
export function releasedUsernamesMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('released_usernames')
        .addColumn('username', 'text', (column) => column.primaryKey())
        .addColumn('account_id', 'text', (column) => column.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('released_day', 'integer', (column) => column.notNull())
        .execute();
    },
  };
}
