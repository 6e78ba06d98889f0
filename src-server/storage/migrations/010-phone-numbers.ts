import type { Kysely, Migration } from 'kysely';

/**
 * Verified phone numbers (H3): one per account, looked up only by a keyed hash (unique: a
 * number belongs to the account that verified it last) and otherwise sealed, both with keys
 * kept outside the database. `discoverable` is "Find me by my phone number" (1, the default).
 */
export function phoneNumbersMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('phone_numbers')
        .addColumn('account_id', 'text', (column) => column.primaryKey().references('accounts.id').onDelete('cascade'))
        .addColumn('number_hash', 'text', (column) => column.notNull().unique())
        .addColumn('number_sealed', 'text', (column) => column.notNull())
        .addColumn('discoverable', 'integer', (column) => column.notNull().defaultTo(1))
        .addColumn('verified_day', 'integer', (column) => column.notNull())
        .execute();
    },
  };
}
