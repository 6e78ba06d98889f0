import { Migrator, type Migration } from 'kysely';
import type { DatabaseHandle } from './database';
import type { DialectName } from './dialect';
import { initialMigration } from './migrations/001-initial';
import { queuedBytesMigration } from './migrations/002-queued-bytes';
import { deviceDetailsMigration } from './migrations/003-device-details';
import { deviceLinkingMigration } from './migrations/004-device-linking';
import { archiveMigration } from './migrations/005-archive';
import { deviceIdsMigration } from './migrations/006-device-ids';
import { archiveEpochMigration } from './migrations/007-archive-epoch';
import { profilesMigration } from './migrations/008-profiles';
import { avatarsMigration } from './migrations/009-avatars';
import { phoneNumbersMigration } from './migrations/010-phone-numbers';
import { syncedContactsMigration } from './migrations/011-synced-contacts';
import { releasedUsernamesMigration } from './migrations/012-released-usernames';

/** Every migration, in order. Append-only: a released migration is never edited. */
export function allMigrations(dialect: DialectName): Record<string, Migration> {
  return {
    '001-initial': initialMigration(dialect),
    '002-queued-bytes': queuedBytesMigration(),
    '003-device-details': deviceDetailsMigration(),
    '004-device-linking': deviceLinkingMigration(),
    '005-archive': archiveMigration(dialect),
    '006-device-ids': deviceIdsMigration(),
    '007-archive-epoch': archiveEpochMigration(),
    '008-profiles': profilesMigration(),
    '009-avatars': avatarsMigration(),
    '010-phone-numbers': phoneNumbersMigration(),
    '011-synced-contacts': syncedContactsMigration(),
    '012-released-usernames': releasedUsernamesMigration(),
  };
}

/** Brings the database to the latest schema; returns the names of the migrations it ran. */
export async function migrateToLatest(handle: DatabaseHandle, migrations = allMigrations(handle.dialect)): Promise<string[]> {
  const migrator = new Migrator({
    db: handle.db,
    provider: { getMigrations: async () => migrations },
    // With several schemas in one PostgreSQL, look for the bookkeeping tables in ours only.
    ...(handle.schema ? { migrationTableSchema: handle.schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
}
