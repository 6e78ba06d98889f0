import type { Kysely, Migration } from 'kysely';

/**
 * Linking a device (C5): one-time provisioning addresses, each holding at most one sealed blob
 * until collected, and one-time link tokens (their hashes only), each for one more device of
 * one account (and, once used, which device, so a retried registration is answered the same). Both expire within minutes; the retention job deletes what expired.
 */
export function deviceLinkingMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('provisioning_slots')
        .addColumn('address', 'text', (column) => column.primaryKey())
        .addColumn('body', 'text')
        .addColumn('expires_at', 'bigint', (column) => column.notNull())
        .execute();
      await db.schema.createIndex('provisioning_slots_expiry').on('provisioning_slots').column('expires_at').execute();

      await db.schema
        .createTable('link_tokens')
        .addColumn('token_hash', 'text', (column) => column.primaryKey())
        .addColumn('account_id', 'text', (column) => column.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('expires_at', 'bigint', (column) => column.notNull())
        // Once used: the device it registered and that device's secret hash, so a retry of the
        // same registration (its answer lost) gets the same answer instead of a refusal.
        .addColumn('used_device_id', 'integer')
        .addColumn('used_secret_hash', 'text')
        .execute();
      await db.schema.createIndex('link_tokens_expiry').on('link_tokens').column('expires_at').execute();
    },
  };
}
