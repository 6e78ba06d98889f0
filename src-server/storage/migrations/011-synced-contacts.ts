import type { Kysely, Migration } from 'kysely';

/**
 * Synced contacts (B2): the keyed hashes of the numbers an account imported, so its devices can
 * learn who of them is on Parley. Never a number; deleted at once on request.
 */
export function syncedContactsMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('synced_contacts')
        .addColumn('account_id', 'text', (column) => column.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('number_hash', 'text', (column) => column.notNull())
        .addPrimaryKeyConstraint('synced_contacts_pk', ['account_id', 'number_hash'])
        .execute();
    },
  };
}
