import { usernameSchema } from '../../../src-shared/domain/ids';
import type { InboxItem } from '../../../src-shared/domain/messages';
import type { ServerApi } from '../api/serverApi';
import type { ContactDirectory } from '../contacts/contactDirectory';
import { rememberContact } from '../contacts/contactDirectory';
import { enqueueOutgoing } from '../sync/outboxEntry';
import { Emitter } from '../util/emitter';
import type { Vault } from '../vault/vault';
import { writeAccount, type AccountRecord } from './accountRecord';

/**
 * My @username (A3): changed on the server (which holds the old one for me a few days, then
 * releases it), then on this device's account record, and announced with a `username_changed`
 * nudge to my other devices, to everyone who has my profile key and to my contacts. The nudge
 * names nothing: each receiver asks the server who I am now, so a message can never make
 * someone appear under a name they do not hold.
 */
export class Usernames {
  /** My username changed (here or on another of my devices); the account record holds it. */
  readonly onOwnChanged = new Emitter<string>();
  /** Someone's new username is in the inbox. */
  readonly onInboxChanged = new Emitter<void>();

  constructor(
    private readonly options: {
      vault: Vault;
      api: ServerApi;
      account: AccountRecord;
      contacts: ContactDirectory;
      now: () => number;
      flushOutbox: () => void;
      /** Everyone who has my profile key: the people I write to. */
      profileHolders: () => string[];
      /** My contacts (they may have my old name cached without my ever having written to them). */
      contactIds: () => string[];
    },
  ) {}

  /** Takes `input` as my username; ZodError when malformed, ServerError `username_taken` when someone has it. */
  async change(input: string): Promise<string> {
    const username = usernameSchema.parse(input);
    const { api, vault, account } = this.options;
    if (username === account.username) return username;
    const answer = await api.changeUsername(username);
    const transaction = vault.transaction();
    const previous = account.username;
    this.adopt(transaction, answer.username, previous);
    for (const accountId of new Set([account.accountId, ...this.options.profileHolders(), ...this.options.contactIds()])) {
      enqueueOutgoing(transaction, { to: accountId, content: { kind: 'username_changed' }, createdAt: this.options.now() });
    }
    await transaction.commit();
    this.options.flushOutbox();
    this.onOwnChanged.emit(answer.username);
    return answer.username;
  }

  /** After a batch: these accounts said their username changed (mine: another device of mine changed it). */
  async refresh(accountIds: Iterable<string>): Promise<void> {
    const { vault, account, contacts } = this.options;
    for (const accountId of new Set(accountIds)) {
      const username = await contacts.refresh(accountId);
      if (username === undefined) continue;
      const transaction = vault.transaction();
      if (accountId === account.accountId) {
        if (username === account.username) continue;
        this.adopt(transaction, username, account.username);
        await transaction.commit();
        this.onOwnChanged.emit(username);
        continue;
      }
      const item: InboxItem = { inboxId: `username:${accountId}`, kind: 'username', accountId, username };
      transaction.putJson('inbox', item.inboxId, item);
      await transaction.commit();
      this.onInboxChanged.emit();
    }
  }

  private adopt(transaction: ReturnType<Vault['transaction']>, username: string, previous: string) {
    const { account } = this.options;
    account.username = username;
    writeAccount(transaction, account);
    transaction.delete('contact', `username:${previous}`);
    rememberContact(transaction, account.accountId, username);
  }
}
