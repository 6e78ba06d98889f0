import type { LinkedDirectory } from '../../../src-shared/domain/linkedDirectory';
import type { InboxItem } from '../../../src-shared/domain/messages';
import type { VaultTransaction } from '../vault/vaultTransaction';
import { rememberContact } from '../contacts/contactDirectory';

/**
 * A linked device's first inbox item (C5): the contacts and chat list the linking device handed
 * over, staged with the device's keys so they arrive with it or not at all. The contacts also
 * seed this device's username cache, so it need not ask the server who they are.
 */
export function stageLinkedDirectory(transaction: VaultTransaction, directory: LinkedDirectory): void {
  for (const [accountId, username] of directory.contacts) rememberContact(transaction, accountId, username);
  const item: InboxItem = { inboxId: 'linked-directory', kind: 'directory', directory };
  transaction.putJson('inbox', item.inboxId, item);
}
