import type { ChatMessage } from '../../../src-shared/domain/messages';
import type { Logger } from '../../../src-shared/domain/runtime';
import type { RestoreProgress } from '../../../src-shared/ipc/archive';
import type { ServerApi } from '../api/serverApi';
import type { Vault } from '../vault/vault';
import type { VaultTransaction } from '../vault/vaultTransaction';
import { archiveKeysOf, ensureArchiveKey } from './archiveKey';
import { ArchiveRestore } from './archiveRestore';
import { ArchiveUploads } from './archiveUploads';

/** Where the receive and send paths hand a message to the archive, inside their own transaction. */
export type ArchiveStaging = { stage(transaction: VaultTransaction, message: ChatMessage): void };

/**
 * This device's part in the account's encrypted history archive (C5, C7): it appends what it
 * sends and receives (ArchiveUploads) and, on a newly linked device, restores what the others
 * appended before it existed (ArchiveRestore). The key is the account's; the server sees only
 * sealed items under ids it cannot tie to messages.
 */
export class AccountArchive implements ArchiveStaging {
  private readonly uploads: ArchiveUploads;
  private readonly restore: ArchiveRestore;

  constructor(options: { vault: Vault; api: ServerApi; logger: Logger; accountId: string; joinedAt: number }) {
    const keys = archiveKeysOf(ensureArchiveKey(options.vault.transaction()));
    this.uploads = new ArchiveUploads({ ...options, keys });
    this.restore = new ArchiveRestore({ ...options, keys });
  }

  get onRestoreProgress() {
    return this.restore.onProgress;
  }

  /** The restore put messages in the inbox. */
  get onInboxChanged() {
    return this.restore.onInboxChanged;
  }

  get restoreProgress(): RestoreProgress {
    return this.restore.progress;
  }

  stage(transaction: VaultTransaction, message: ChatMessage) {
    this.uploads.stage(transaction, message);
  }

  /** Staged messages were committed: upload them. */
  uploadSoon() {
    void this.uploads.flush();
  }

  /** Connected: learn whether the archive is on, upload what waits, and go on with a restore. */
  connected() {
    void this.uploads.refresh().then(() => this.uploads.flush());
    void this.restore.start();
  }

  /** Resolves when no restore runs (finished, failed for now, or none to do). */
  restoring(): Promise<void> {
    return this.restore.running();
  }

  /** The history store took items from the inbox. */
  inboxDrained() {
    this.restore.inboxDrained();
  }

  /** Whether the account keeps an archive, as the server says now. */
  async settings(): Promise<{ enabled: boolean }> {
    await this.uploads.refresh();
    return { enabled: this.uploads.isEnabled };
  }

  setEnabled(enabled: boolean): Promise<void> {
    return this.uploads.setEnabled(enabled);
  }

  /** Stops the restore and any upload for good (the vault closes next). */
  async stop() {
    this.uploads.stop();
    await this.restore.stop();
    await this.uploads.idle();
  }
}
