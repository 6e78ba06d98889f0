import { usernameSchema } from '../../../src-shared/domain/ids';
import type { ServerApi } from '../api/serverApi';
import type { Vault } from '../vault/vault';
import type { VaultTransaction } from '../vault/vaultTransaction';

/**
 * Usernames ⇄ account ids, asked of the server once and remembered in the vault (encrypted,
 * keyed by hash), so the server is not told whom I look at every time I open a chat.
 */
export class ContactDirectory {
  constructor(
    private readonly vault: Vault,
    private readonly api: ServerApi,
  ) {}

  async accountIdOf(usernameInput: string): Promise<string> {
    const username = usernameSchema.parse(usernameInput);
    const cached = this.vault.read('contact', `username:${username}`);
    if (cached) return cached.toString('utf8');
    const found = await this.api.lookupAccount(username);
    this.remember(found.accountId, found.username);
    return found.accountId;
  }

  async usernameOf(accountId: string): Promise<string | undefined> {
    const cached = this.vault.read('contact', `account:${accountId}`);
    if (cached) return cached.toString('utf8');
    try {
      const found = await this.api.accountById(accountId);
      this.remember(found.accountId, found.username);
      return found.username;
    } catch {
      return undefined;
    }
  }

  private remember(accountId: string, username: string) {
    const transaction = this.vault.transaction();
    rememberContact(transaction, accountId, username);
    void transaction.commit('relaxed'); // a cache: losing it means asking the server again
  }
}

/** Stages both directions of one username ⇄ account id pair in `transaction`. */
export function rememberContact(transaction: VaultTransaction, accountId: string, username: string): void {
  transaction.put('contact', `username:${username}`, Buffer.from(accountId));
  transaction.put('contact', `account:${accountId}`, Buffer.from(username));
}
