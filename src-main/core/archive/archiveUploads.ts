import type { Logger } from '../../../src-shared/domain/runtime';
import { ARCHIVE_BATCH_MAX, type ArchiveItem } from '../../../src-shared/protocol/archive';
import type { ChatMessage } from '../../../src-shared/domain/messages';
import { ServerError, type ServerApi } from '../api/serverApi';
import type { Vault } from '../vault/vault';
import type { VaultTransaction } from '../vault/vaultTransaction';
import type { ArchiveKeys } from './archiveKey';
import { archiveItemIdOf, archiveRecordOf, sealArchiveItem, type StagedArchiveItem } from './archiveRecord';

/** Where this device keeps whether the account's archive is on, and its epoch, as the server last said. */
const UPLOADS_META_KEY = 'archiveUploads';
/** Sealed bytes per upload, well under the server's body limit whatever the messages' sizes. */
const UPLOAD_BYTES_MAX = 8 * 1024 * 1024;

export type ArchiveUploadsOptions = { vault: Vault; api: ServerApi; keys: ArchiveKeys; logger: Logger };

/** A new device's first knowledge of the account's archive (the server's answer to its registration), before anything is staged. */
export function writeArchiveUploadsState(transaction: VaultTransaction, state: UploadsState): void {
  transaction.putJson('meta', UPLOADS_META_KEY, { enabled: state.enabled, epoch: state.epoch });
}

/** A staged item, with the archive epoch it was staged in. */
type Staged = StagedArchiveItem & { epoch?: number };
type UploadsState = { enabled: boolean; epoch: number };

/**
 * This device's side of appending to the account's archive (C5, C7). A message is staged in the
 * vault in the same transaction that makes it this device's (the inbox item of one received, the
 * outbox entry of one sent), so none is lost to a crash before its upload; `flush` then seals the
 * staged items and uploads them in batches, and drops each batch once the server has it. An upload
 * repeated after a crash is harmless: item ids are the message's (archiveItemIdOf), and the server
 * skips ids it has.
 *
 * The server says whether the account keeps an archive, and its epoch: the number of times it was
 * switched off (from any device), each time deleting what it held. Items are staged with the epoch
 * this device knows and uploaded under it; the server refuses another epoch, and on learning a new
 * one (`refresh`, at each connect and after a refusal) this device drops what it staged before, so
 * history deleted by switching the archive off never comes back from a device that was offline
 * meanwhile. While the archive is off nothing is staged.
 */
export class ArchiveUploads {
  private state: UploadsState;
  private flushing: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(private readonly options: ArchiveUploadsOptions) {
    const stored = options.vault.transaction().getJson<Partial<UploadsState>>('meta', UPLOADS_META_KEY);
    this.state = { enabled: stored?.enabled ?? true, epoch: stored?.epoch ?? 0 };
  }

  get isEnabled() {
    return this.state.enabled;
  }

  /** Stages `message` in `transaction` (the caller commits it), unless the archive is off. */
  stage(transaction: VaultTransaction, message: ChatMessage) {
    if (!this.state.enabled) return;
    const item: Staged = { id: archiveItemIdOf(this.options.keys, message), record: archiveRecordOf(message), epoch: this.state.epoch };
    transaction.putJson('archive', item.id, item);
  }

  /** Uploads what is staged; a call while one runs makes it go round once more. Never rejects. */
  flush(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.flushing) {
      this.again = true;
      return this.flushing;
    }
    this.flushing = this.uploadAll()
      .catch((error: unknown) => {
        // A vault error (disk, closed): what is staged stays staged for the next run.
        this.options.logger.warn('archive.upload_stopped', { reason: error instanceof Error ? error.name : 'unknown' });
      })
      .finally(() => {
        this.flushing = undefined;
      });
    return this.flushing;
  }

  /** No upload starts after this (the vault is about to close); one running ends after its request. */
  stop() {
    this.stopped = true;
  }

  /** Resolves once no upload is running. */
  async idle() {
    while (this.flushing) await this.flushing;
  }

  /** Asks the server whether the archive is on and in which epoch (another device may have switched it). Never rejects. */
  async refresh(): Promise<void> {
    try {
      this.remember(await this.options.api.archiveSettings());
    } catch (error) {
      this.options.logger.debug('archive.settings_unavailable', { reason: error instanceof Error ? error.name : 'unknown' });
    }
  }

  /** Switches the account's archive on or off for every device; off deletes it on the server. */
  async setEnabled(enabled: boolean): Promise<void> {
    await this.options.api.setArchiveEnabled(enabled);
    // Off starts a new epoch on the server: learn it (or, if that fails, at least stop staging).
    this.remember({ ...this.state, enabled });
    await this.refresh();
  }

  private remember(next: UploadsState) {
    if (this.stopped || (next.enabled === this.state.enabled && next.epoch === this.state.epoch)) return;
    this.state = { enabled: next.enabled, epoch: next.epoch };
    const transaction = this.options.vault.transaction();
    transaction.putJson('meta', UPLOADS_META_KEY, this.state);
    // Staged in an earlier epoch, or while the archive is off: the server will never take them.
    for (const item of this.staged(Number.MAX_SAFE_INTEGER)) {
      if (!next.enabled || (item.epoch ?? 0) !== next.epoch) transaction.delete('archive', item.id);
    }
    transaction.commit().catch((error: unknown) => {
      this.options.logger.warn('archive.setting_not_saved', { reason: error instanceof Error ? error.name : 'unknown' });
    });
  }

  private staged(limit: number): Staged[] {
    return this.options.vault.list('archive', limit).map((bytes) => JSON.parse(bytes.toString('utf8')) as Staged);
  }

  private async uploadAll() {
    const { vault, api, keys, logger } = this.options;
    /** Items per upload: halved while the server refuses a batch as malformed, to find the item it refuses. */
    let batchMax: number = ARCHIVE_BATCH_MAX;
    do {
      this.again = false;
      while (this.state.enabled && !this.stopped) {
        const staged = this.staged(batchMax);
        if (staged.length === 0) break;
        const { epoch } = this.state;
        const items: ArchiveItem[] = [];
        const stale: string[] = [];
        let bytes = 0;
        for (const item of staged) {
          if ((item.epoch ?? 0) !== epoch) {
            stale.push(item.id);
            continue;
          }
          const body = sealArchiveItem(keys, item);
          if (items.length > 0 && bytes + body.length > UPLOAD_BYTES_MAX) break;
          items.push({ id: item.id, body });
          bytes += body.length;
        }
        let done = [...stale];
        if (items.length > 0) {
          try {
            await api.appendArchive(epoch, items);
            done = done.concat(items.map((item) => item.id));
          } catch (error) {
            if (error instanceof ServerError && error.code === 'forbidden') {
              // Switched off, or off and on again since: learn which; the loop ends or goes on in the new epoch.
              const before = this.state;
              await this.refresh();
              if (this.state === before) this.remember({ ...before, enabled: false });
              continue;
            }
            if (error instanceof ServerError && error.status === 400) {
              if (items.length > 1) {
                batchMax = Math.ceil(items.length / 2);
                continue;
              }
              // Nothing this device can change makes this item acceptable: dropped, so the rest can go.
              logger.warn('archive.item_refused', { items: 1 });
              done.push(items[0]!.id);
            } else {
              // Unreachable, or credentials refused: they wait for the next connect.
              logger.debug('archive.upload_failed', { reason: error instanceof Error ? error.name : 'unknown' });
              return;
            }
          }
        }
        const transaction = vault.transaction();
        for (const id of done) transaction.delete('archive', id);
        // A power cut may bring them back: uploaded again, skipped by the server.
        void transaction.commit('relaxed');
      }
    } while (this.again && !this.stopped);
  }
}
