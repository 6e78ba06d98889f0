import type { Kysely, Migration } from 'kysely';

/**
 * What Active sessions shows of each device (A9) besides its name and days: its platform, OS
 * version and app version, as the device reported them at registration. Devices registered
 * before this migration read as platform `other` with empty versions. Nothing else about a device
 * is ever kept (H6).
 */
export function deviceDetailsMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      for (const [column, fallback] of [
        ['platform', 'other'],
        ['os_version', ''],
        ['app_version', ''],
      ] as const) {
        await db.schema
          .alterTable('devices')
          .addColumn(column, 'text', (builder) => builder.notNull().defaultTo(fallback))
          .execute();
      }
    },
  };
}
