import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Device ids are never reused within an account (accounts.last_device_id, the highest ever
 * given): a device ended from another device, and offline meanwhile, must hear `session_ended`
 * when it comes back, not meet a new device under its old id and be told only `unauthorized`.
 */
export function deviceIdsMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('accounts')
        .addColumn('last_device_id', 'integer', (column) => column.notNull().defaultTo(0))
        .execute();
      await sql`
        update accounts set last_device_id = coalesce((select max(device_id) from devices where devices.account_id = accounts.id), 0)
      `.execute(db);
    },
  };
}
