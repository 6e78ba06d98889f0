import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../dialect';

/**
 * The encrypted history archive (C5, C7): opaque items per account, in arrival order, each with
 * the device-chosen random id (unique per account) and the day it was stored; and a per-account
 * switch (on by default) that the person can turn off, which deletes the items.
 */
export function archiveMigration(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('archive_items')
        .addColumn('seq', dialect === 'postgres' ? 'bigserial' : 'integer', (column) =>
          dialect === 'postgres' ? column.primaryKey() : column.primaryKey().autoIncrement(),
        )
        .addColumn('account_id', 'text', (column) => column.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('item_id', 'text', (column) => column.notNull())
        .addColumn('day', 'integer', (column) => column.notNull())
        .addColumn('body', 'text', (column) => column.notNull())
        .addUniqueConstraint('archive_items_id_unique', ['account_id', 'item_id'])
        .execute();
      await db.schema.createIndex('archive_items_account_seq').on('archive_items').columns(['account_id', 'seq']).execute();
      await db.schema.createIndex('archive_items_day').on('archive_items').column('day').execute();
      await db.schema
        .alterTable('accounts')
        .addColumn('archive_enabled', 'integer', (column) => column.notNull().defaultTo(1))
        .execute();
    },
  };
}
