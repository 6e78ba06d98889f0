import type { Kysely } from 'kysely';
import { createAccountsRepository, type AccountsRepository } from './accountsRepository';
import type { DatabaseHandle } from './database';
import { createDevicesRepository, type DevicesRepository } from './devicesRepository';
import type { DialectName } from './dialect';
import { createEnvelopesRepository, type EnvelopesRepository } from './envelopesRepository';
import { createArchiveRepository, type ArchiveRepository } from './archiveRepository';
import { createLinkingRepository, type LinkingRepository } from './linkingRepository';
import { createPhoneNumbersRepository, type PhoneNumbersRepository } from './phoneNumbersRepository';
import { createProfilesRepository, type ProfilesRepository } from './profilesRepository';
import { createSyncedContactsRepository, type SyncedContactsRepository } from './syncedContactsRepository';
import { createPreKeysRepository, type PreKeysRepository } from './preKeysRepository';
import { QueryShapes } from './queryShapes';
import type { Database } from './schema';
import { createSendsRepository, type SendsRepository } from './sendsRepository';

export type Repositories = {
  accounts: AccountsRepository;
  devices: DevicesRepository;
  preKeys: PreKeysRepository;
  envelopes: EnvelopesRepository;
  sends: SendsRepository;
  linking: LinkingRepository;
  archive: ArchiveRepository;
  profiles: ProfilesRepository;
  phoneNumbers: PhoneNumbersRepository;
  syncedContacts: SyncedContactsRepository;
};

/** The one way services reach the database: repositories, alone or inside one transaction. */
export type Storage = Repositories & {
  dialect: DialectName;
  /** Runs `work` in one transaction: all of its writes commit together or none do. */
  transaction<T>(work: (repositories: Repositories) => Promise<T>): Promise<T>;
  close(): Promise<void>;
};

function repositoriesOver(db: Kysely<Database>, dialect: DialectName, shapes: QueryShapes): Repositories {
  return {
    accounts: createAccountsRepository(db, dialect),
    devices: createDevicesRepository(db, dialect),
    preKeys: createPreKeysRepository(db, dialect),
    envelopes: createEnvelopesRepository(db, shapes, dialect),
    sends: createSendsRepository(db, shapes),
    linking: createLinkingRepository(db),
    archive: createArchiveRepository(db),
    profiles: createProfilesRepository(db),
    phoneNumbers: createPhoneNumbersRepository(db),
    syncedContacts: createSyncedContactsRepository(db),
  };
}

export function createStorage(handle: DatabaseHandle): Storage {
  // Shared by every transaction's repositories: a shape's SQL is the same on any connection.
  const shapes = new QueryShapes();
  return {
    ...repositoriesOver(handle.db, handle.dialect, shapes),
    dialect: handle.dialect,
    transaction: (work) => handle.db.transaction().execute((transaction) => work(repositoriesOver(transaction, handle.dialect, shapes))),
    close: () => handle.close(),
  };
}
