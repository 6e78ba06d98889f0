import type { Kysely, Migration } from 'kysely';

/**
 * accounts.archive_epoch counts the times the account's archive was switched off (005-archive).
 * Devices tag what they stage for upload with the epoch they knew, and the server takes uploads
 * of the current epoch only: a device that was offline while the archive was switched off (and
 * its items deleted) and on again cannot bring the deleted history back.
 */
export function archiveEpochMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('accounts')
        .addColumn('archive_epoch', 'integer', (column) => column.notNull().defaultTo(0))
        .execute();
    },
  };
}
