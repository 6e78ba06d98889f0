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

  /** B1: who can be found by `number` (E.164); asked of the server every time (whether they allow it may change). */
  async findByPhone(number: string): Promise<{ accountId: string; username: string }> {
    const found = await this.api.lookupPhone(number);
    this.remember(found.accountId, found.username);
    return found;
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

  /**
   * A3: asks the server who `accountId` is now (they said their username changed) and forgets
   * the name they had. Resolves with the new name, or undefined when the server does not say.
   */
  async refresh(accountId: string): Promise<string | undefined> {
    let found: { accountId: string; username: string };
    try {
      found = await this.api.accountById(accountId);
    } catch {
      return undefined;
    }
    const transaction = this.vault.transaction();
    const old = this.vault.read('contact', `account:${accountId}`)?.toString('utf8');
    if (old !== undefined && old !== found.username && this.vault.read('contact', `username:${old}`)?.toString('utf8') === accountId) {
      transaction.delete('contact', `username:${old}`);
    }
    rememberContact(transaction, found.accountId, found.username);
    await transaction.commit('relaxed');
    return found.username;
  }

  private remember(accountId: string, username: string) {
    const transaction = this.vault.transaction();
    rememberContact(transaction, accountId, username);
    void transaction.commit('relaxed'); // a cache: losing it means asking the server again
  }
}

/**
 * Stages both directions of one username ⇄ account id pair in `transaction`. Usernames change
 * and are released (A3): when the name was another account's, that account's name is forgotten
 * here, so it is asked of the server again instead of showing the name someone else now holds.
 */
export function rememberContact(transaction: VaultTransaction, accountId: string, username: string): void {
  const text = (bytes: Uint8Array | undefined) => (bytes === undefined ? undefined : Buffer.from(bytes).toString('utf8'));
  const previous = text(transaction.get('contact', `username:${username}`));
  if (previous !== undefined && previous !== accountId && text(transaction.get('contact', `account:${previous}`)) === username) {
    transaction.delete('contact', `account:${previous}`);
  }
  transaction.put('contact', `username:${username}`, Buffer.from(accountId));
  transaction.put('contact', `account:${accountId}`, Buffer.from(username));
}
