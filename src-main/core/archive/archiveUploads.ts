import type { Logger } from '../../../src-shared/domain/runtime';
import { ARCHIVE_BATCH_MAX, type ArchiveItem } from '../../../src-shared/protocol/archive';
import type { ChatMessage } from '../../../src-shared/domain/messages';
import { ServerError, type ServerApi } from '../api/serverApi';
import type { Vault } from '../vault/vault';
import type { VaultTransaction } from '../vault/vaultTransaction';
import type { ArchiveKeys } from './archiveKey';
import { archiveItemIdOf, archiveRecordOf, sealArchiveItem, type StagedArchiveItem } from './archiveRecord';

/** Where this device keeps whether the account's archive is on, as the server last said. */
const UPLOADS_META_KEY = 'archiveUploads';
/** Sealed bytes per upload, well under the server's body limit whatever the messages' sizes. */
const UPLOAD_BYTES_MAX = 8 * 1024 * 1024;

export type ArchiveUploadsOptions = { vault: Vault; api: ServerApi; keys: ArchiveKeys; logger: Logger };

/**
 * This device's side of appending to the account's archive (C5, C7). A message is staged in the
 * vault in the same transaction that makes it this device's (the inbox item of one received, the
 * outbox entry of one sent), so none is lost to a crash before its upload; `flush` then seals the
 * staged items and uploads them in batches, and drops each batch once the server has it. An upload
 * repeated after a crash is harmless: item ids are the message's (archiveItemIdOf), and the server
 * skips ids it has.
 *
 * The server says whether the account keeps an archive: when it refuses an upload because the
 * archive was switched off (from any device), this device drops what it staged and stages nothing
 * until it hears the archive is on again (`refresh`, at each connect).
 */
export class ArchiveUploads {
  private enabled: boolean;
  private flushing: Promise<void> | undefined;
  private again = false;

  constructor(private readonly options: ArchiveUploadsOptions) {
    this.enabled = options.vault.transaction().getJson<{ enabled: boolean }>('meta', UPLOADS_META_KEY)?.enabled ?? true;
  }

  get isEnabled() {
    return this.enabled;
  }

  /** Stages `message` in `transaction` (the caller commits it), unless the archive is off. */
  stage(transaction: VaultTransaction, message: ChatMessage) {
    if (!this.enabled) return;
    const item: StagedArchiveItem = { id: archiveItemIdOf(this.options.keys, message), record: archiveRecordOf(message) };
    transaction.putJson('archive', item.id, item);
  }

  /** Uploads what is staged; a call while one runs makes it go round once more. Never rejects. */
  flush(): Promise<void> {
    if (this.flushing) {
      this.again = true;
      return this.flushing;
    }
    this.flushing = this.uploadAll().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  /** Resolves once no upload is running. */
  async idle() {
    while (this.flushing) await this.flushing;
  }

  /** Asks the server whether the archive is on (another device may have switched it). */
  async refresh(): Promise<void> {
    try {
      const { enabled } = await this.options.api.archiveSettings();
      this.remember(enabled);
      if (enabled) void this.flush();
    } catch (error) {
      this.options.logger.debug('archive.settings_unavailable', { reason: error instanceof Error ? error.name : 'unknown' });
    }
  }

  /** Switches the account's archive on or off for every device; off deletes it on the server. */
  async setEnabled(enabled: boolean): Promise<void> {
    await this.options.api.setArchiveEnabled(enabled);
    this.remember(enabled);
  }

  private remember(enabled: boolean) {
    if (enabled === this.enabled) return;
    this.enabled = enabled;
    const transaction = this.options.vault.transaction();
    transaction.putJson('meta', UPLOADS_META_KEY, { enabled });
    if (!enabled) for (const item of this.staged(Number.MAX_SAFE_INTEGER)) transaction.delete('archive', item.id);
    void transaction.commit();
  }

  private staged(limit: number): StagedArchiveItem[] {
    return this.options.vault.list('archive', limit).map((bytes) => JSON.parse(bytes.toString('utf8')) as StagedArchiveItem);
  }

  private async uploadAll() {
    const { vault, api, keys, logger } = this.options;
    do {
      this.again = false;
      while (this.enabled) {
        const staged = this.staged(ARCHIVE_BATCH_MAX);
        if (staged.length === 0) break;
        const items: ArchiveItem[] = [];
        let bytes = 0;
        for (const item of staged) {
          const body = sealArchiveItem(keys, item);
          if (items.length > 0 && bytes + body.length > UPLOAD_BYTES_MAX) break;
          items.push({ id: item.id, body });
          bytes += body.length;
        }
        try {
          await api.appendArchive(items);
        } catch (error) {
          if (error instanceof ServerError && error.code === 'forbidden') {
            this.remember(false);
            return;
          }
          if (error instanceof ServerError && error.status === 400) {
            // Nothing this device can change makes these acceptable: dropped, so the rest can go.
            logger.warn('archive.upload_refused', { items: items.length });
          } else {
            // Unreachable, or credentials refused: they wait for the next connect.
            logger.debug('archive.upload_failed', { reason: error instanceof Error ? error.name : 'unknown' });
            return;
          }
        }
        const transaction = vault.transaction();
        for (const item of items) transaction.delete('archive', item.id);
        // A power cut may bring them back: uploaded again, skipped by the server.
        void transaction.commit('relaxed');
      }
    } while (this.again);
  }
}
