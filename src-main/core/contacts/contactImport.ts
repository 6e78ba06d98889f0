import { CONTACT_NAME_MAX, type PreferenceChange } from '../../../src-shared/domain/preferences';
import type { InboxItem } from '../../../src-shared/domain/messages';
import type { ServerApi } from '../api/serverApi';
import { Emitter } from '../util/emitter';
import type { Vault } from '../vault/vault';
import { CONTACT_FILE_LIMITS, ContactFileError, parseContactFile, type ImportedContact } from './contactFile';
import { rememberContact } from './contactDirectory';

const IMPORTED = 'importedContacts';
const MATCHED = 'importedContactMatches';
const LAST_SYNC = 'importedContactsSyncedAt';
const SYNC_INTERVAL_MS = 24 * 60 * 60 * 1000;

const readJson = <T>(vault: Vault, key: string): T | undefined => {
  const bytes = vault.read('meta', key);
  return bytes ? (JSON.parse(bytes.toString('utf8')) as T) : undefined;
};

export type ContactImportResult = { imported: number; skipped: number; onParley: number };

/**
 * Contacts imported from a file the user picked (B2) — never the system address book. Of each
 * entry only the number and the first and last name are kept, in the vault. Their numbers are
 * synced to the server, which keeps them only as keyed hashes, so it can say who of them is on
 * Parley: those become my contacts, under the name I had for them, with a notice in the chat
 * list. The sync is repeated at connect at most once a day, to learn who joined since; Delete
 * synced contacts removes them from the server at once (and stops the syncing until the next import).
 */
export class ContactImport {
  /** Someone I imported joined: a notice is in the inbox. */
  readonly onInboxChanged = new Emitter<void>();

  constructor(
    private readonly options: {
      vault: Vault;
      api: ServerApi;
      now: () => number;
      changePreferences: (changes: PreferenceChange[]) => Promise<unknown>;
      hasSavedName: (accountId: string) => boolean;
      isContact: (accountId: string) => boolean;
    },
  ) {}

  /** The contacts imported so far (this device). */
  get imported(): ImportedContact[] {
    return readJson<ImportedContact[]>(this.options.vault, IMPORTED) ?? [];
  }

  /**
   * Reads `file` (ContactFileError, naming the line, when it is malformed: then nothing changes),
   * adds its entries to the imported ones and syncs them.
   */
  async importFile(file: Uint8Array, fileName: string): Promise<ContactImportResult> {
    const { contacts, skipped } = parseContactFile(file, fileName);
    const merged = new Map(this.imported.map((contact) => [contact.number, contact]));
    for (const contact of contacts) merged.set(contact.number, contact);
    if (merged.size > CONTACT_FILE_LIMITS.contacts) {
      throw new ContactFileError(`with the ${this.imported.length.toLocaleString('en')} contacts imported before, this makes more than ${CONTACT_FILE_LIMITS.contacts.toLocaleString('en')}; delete the synced contacts first`);
    }
    const all = [...merged.values()];
    const transaction = this.options.vault.transaction();
    transaction.putJson('meta', IMPORTED, all);
    await transaction.commit();
    const onParley = await this.sync(all);
    return { imported: contacts.length, skipped, onParley };
  }

  /** Removes my synced contacts from the server at once, and the imported list from this device. */
  async deleteSynced(): Promise<void> {
    await this.options.api.deleteSyncedContacts();
    const transaction = this.options.vault.transaction();
    for (const key of [IMPORTED, MATCHED, LAST_SYNC]) transaction.delete('meta', key);
    await transaction.commit();
  }

  /** Connected: once a day, ask again who of my imported contacts is on Parley now. */
  async connected(): Promise<void> {
    const imported = this.imported;
    const last = readJson<number>(this.options.vault, LAST_SYNC) ?? 0;
    if (imported.length === 0 || this.options.now() - last < SYNC_INTERVAL_MS) return;
    await this.sync(imported);
  }

  private async sync(contacts: ImportedContact[]): Promise<number> {
    const { vault, api, now } = this.options;
    const { matches } = await api.syncContacts(contacts.map((contact) => contact.number));
    // Number → the account it matched first. Only a first match adds a contact under my name for
    // them: someone I removed since is not added again, and a number now held by someone else
    // (numbers are recycled) shows a new person, without the name I had for the old one.
    const matched = readJson<Record<string, string>>(vault, MATCHED) ?? {};
    const changes: PreferenceChange[] = [];
    const transaction = vault.transaction();
    for (const match of matches) {
      const contact = contacts[match.index];
      if (!contact) continue;
      rememberContact(transaction, match.accountId, match.username);
      const before = Object.hasOwn(matched, contact.number) ? matched[contact.number] : undefined;
      if (before === match.accountId) continue;
      matched[contact.number] = match.accountId;
      const name = before === undefined ? `${contact.firstName} ${contact.lastName}`.trim().slice(0, CONTACT_NAME_MAX) : '';
      if (before === undefined && !this.options.isContact(match.accountId)) changes.push({ key: 'contact', accountId: match.accountId, value: true });
      if (name && !this.options.hasSavedName(match.accountId)) changes.push({ key: 'contactName', accountId: match.accountId, value: name });
      const item: InboxItem = { inboxId: `joined:${match.accountId}`, kind: 'contact_joined', accountId: match.accountId, username: match.username, name };
      transaction.putJson('inbox', item.inboxId, item);
    }
    transaction.putJson('meta', MATCHED, matched);
    transaction.putJson('meta', LAST_SYNC, now());
    await transaction.commit();
    if (changes.length > 0) await this.options.changePreferences(changes);
    if (matches.length > 0) this.onInboxChanged.emit();
    return matches.length;
  }
}
