import type { PreferenceChange } from '../../../src-shared/domain/preferences';
import type { AccountRecord } from '../account/accountRecord';
import { PhoneNumber } from '../account/phoneNumber';
import { Usernames } from '../account/usernames';
import type { ServerApi } from '../api/serverApi';
import type { SyncedPreferences } from '../preferences/syncedPreferences';
import type { Vault } from '../vault/vault';
import type { ContactDirectory } from './contactDirectory';
import { ContactImport } from './contactImport';

/**
 * How people find me and I find them (A3, B1, B2, H3): my @username, my optional phone number,
 * and the contacts I import — made together, as the core wires them.
 */
export function createPeopleParts(options: {
  vault: Vault;
  api: ServerApi;
  account: AccountRecord;
  contacts: ContactDirectory;
  preferences: SyncedPreferences;
  now: () => number;
  flushOutbox: () => void;
  changePreferences: (changes: PreferenceChange[]) => Promise<unknown>;
  profileHolders: () => string[];
}) {
  const { vault, api, preferences, now } = options;
  return {
    phone: new PhoneNumber(api),
    usernames: new Usernames({ ...options, contactIds: () => preferences.current.contacts }),
    contactImport: new ContactImport({
      vault,
      api,
      now,
      changePreferences: options.changePreferences,
      hasSavedName: (accountId) => Object.hasOwn(preferences.current.contactNames, accountId),
      isContact: (accountId) => preferences.isContact(accountId),
    }),
  };
}
