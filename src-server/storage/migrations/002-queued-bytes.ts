import { sql, type Kysely, type Migration } from 'kysely';

/**
 * A per-device count of queued ciphertext bytes (devices.queued_bytes), so a send can refuse a
 * full queue without summing it. Existing queues are counted once here, with the formula of
 * storage/queuedBytes.ts (written out again: a released migration must not change with it).
 */
export function queuedBytesMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('devices')
        .addColumn('queued_bytes', 'bigint', (column) => column.notNull().defaultTo(0))
        .execute();
      await sql`
        update devices set queued_bytes = coalesce((
          select sum((length(body) - (case when body like '%==' then 2 when body like '%=' then 1 else 0 end)) * 3 / 4)
          from envelopes
          where envelopes.destination_account_id = devices.account_id
            and envelopes.destination_device_id = devices.device_id
        ), 0)
      `.execute(db);
    },
  };
}
