import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../dialect';

/** Accounts, devices, one-time prekeys, the per-device envelope queues and send idempotency records. */
export function initialMigration(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      // The only dialect difference: a sequence column that is never reused.
      const sequenceType = dialect === 'postgres' ? 'bigserial' : 'integer';

      await db.schema
        .createTable('accounts')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('username', 'text', (column) => column.notNull().unique())
        .addColumn('password_hash', 'text', (column) => column.notNull())
        .addColumn('identity_key', 'text', (column) => column.notNull())
        .addColumn('created_day', 'integer', (column) => column.notNull())
        .execute();

      await db.schema
        .createTable('devices')
        .addColumn('account_id', 'text', (column) => column.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('device_id', 'integer', (column) => column.notNull())
        .addColumn('name', 'text', (column) => column.notNull())
        .addColumn('registration_id', 'integer', (column) => column.notNull())
        .addColumn('secret_hash', 'text', (column) => column.notNull())
        .addColumn('signed_pre_key_id', 'integer', (column) => column.notNull())
        .addColumn('signed_pre_key', 'text', (column) => column.notNull())
        .addColumn('signed_pre_key_signature', 'text', (column) => column.notNull())
        .addColumn('kyber_last_resort_key_id', 'integer', (column) => column.notNull())
        .addColumn('kyber_last_resort_key', 'text', (column) => column.notNull())
        .addColumn('kyber_last_resort_signature', 'text', (column) => column.notNull())
        .addColumn('created_day', 'integer', (column) => column.notNull())
        .addColumn('last_seen_day', 'integer', (column) => column.notNull())
        .addPrimaryKeyConstraint('devices_pk', ['account_id', 'device_id'])
        .execute();

      for (const table of ['pre_keys', 'kyber_pre_keys'] as const) {
        let builder = db.schema
          .createTable(table)
          .addColumn('seq', sequenceType, (column) =>
            dialect === 'postgres' ? column.primaryKey() : column.primaryKey().autoIncrement(),
          )
          .addColumn('account_id', 'text', (column) => column.notNull())
          .addColumn('device_id', 'integer', (column) => column.notNull())
          .addColumn('key_id', 'integer', (column) => column.notNull())
          .addColumn('public_key', 'text', (column) => column.notNull());
        if (table === 'kyber_pre_keys') builder = builder.addColumn('signature', 'text', (column) => column.notNull());
        await builder
          .addUniqueConstraint(`${table}_key_unique`, ['account_id', 'device_id', 'key_id'])
          .addForeignKeyConstraint(`${table}_device_fk`, ['account_id', 'device_id'], 'devices', ['account_id', 'device_id'], (constraint) =>
            constraint.onDelete('cascade'),
          )
          .execute();
      }

      await db.schema
        .createTable('envelopes')
        .addColumn('seq', sequenceType, (column) =>
          dialect === 'postgres' ? column.primaryKey() : column.primaryKey().autoIncrement(),
        )
        .addColumn('id', 'text', (column) => column.notNull().unique())
        .addColumn('destination_account_id', 'text', (column) => column.notNull())
        .addColumn('destination_device_id', 'integer', (column) => column.notNull())
        .addColumn('source_account_id', 'text', (column) => column.notNull())
        .addColumn('source_device_id', 'integer', (column) => column.notNull())
        .addColumn('ciphertext_type', 'integer', (column) => column.notNull())
        .addColumn('body', 'text', (column) => column.notNull())
        .addColumn('server_timestamp', 'bigint', (column) => column.notNull())
        .addColumn('client_timestamp', 'bigint', (column) => column.notNull())
        .addForeignKeyConstraint(
          'envelopes_destination_fk',
          ['destination_account_id', 'destination_device_id'],
          'devices',
          ['account_id', 'device_id'],
          (constraint) => constraint.onDelete('cascade'),
        )
        .execute();
      await db.schema
        .createIndex('envelopes_queue')
        .on('envelopes')
        .columns(['destination_account_id', 'destination_device_id', 'seq'])
        .execute();
      await db.schema.createIndex('envelopes_server_timestamp').on('envelopes').column('server_timestamp').execute();

      await db.schema
        .createTable('sends')
        .addColumn('account_id', 'text', (column) => column.notNull())
        .addColumn('device_id', 'integer', (column) => column.notNull())
        .addColumn('idempotency_key', 'text', (column) => column.notNull())
        .addColumn('server_timestamp', 'bigint', (column) => column.notNull())
        .addPrimaryKeyConstraint('sends_pk', ['account_id', 'device_id', 'idempotency_key'])
        .addForeignKeyConstraint('sends_device_fk', ['account_id', 'device_id'], 'devices', ['account_id', 'device_id'], (constraint) =>
          constraint.onDelete('cascade'),
        )
        .execute();
      await db.schema.createIndex('sends_server_timestamp').on('sends').column('server_timestamp').execute();
    },
  };
}
