import type { Logger } from '../../../src-shared/domain/runtime';
import type { InboxItem } from '../../../src-shared/domain/messages';
import { ARCHIVE_BATCH_MAX } from '../../../src-shared/protocol/archive';
import type { RestoreProgress } from '../../../src-shared/ipc/archive';
import { ServerError, type ServerApi } from '../api/serverApi';
import { Emitter } from '../util/emitter';
import type { Vault } from '../vault/vault';
import type { VaultTransaction } from '../vault/vaultTransaction';
import type { ArchiveKeys } from './archiveKey';
import { openArchiveItem, type ArchiveRecord } from './archiveRecord';

/** Where a restore keeps its place in the vault's 'meta' collection (only a linked device has one). */
const RESTORE_META_KEY = 'archiveRestore';
/** While the inbox holds this many items, the restore waits for the history store to take some. */
const INBOX_HIGH_WATER = 4_000;

/** `joinedAt`: the server's time once this device existed (see registerAccountResponseSchema). */
type RestoreState = RestoreProgress & { after: number; joinedAt?: number };

/** A newly linked device restores the archive (staged with the rest of its registration). */
export function markRestorePending(transaction: VaultTransaction, joinedAt: number) {
  const state: RestoreState = { after: 0, restored: 0, total: 0, done: false, joinedAt };
  transaction.putJson('meta', RESTORE_META_KEY, state);
}

export type ArchiveRestoreOptions = {
  vault: Vault;
  api: ServerApi;
  keys: ArchiveKeys;
  logger: Logger;
  accountId: string;
  /** When this device joined the account by its own clock: used only if the server did not say (RestoreState.joinedAt). */
  joinedAt: number;
  /** Items the inbox may hold before the restore waits (INBOX_HIGH_WATER by default). */
  inboxHighWater?: number;
};

/**
 * Reads the account's archive into this device's history, oldest first (C5): a page at a time,
 * each page's messages put in the vault's inbox in one transaction with the restore's place, so a
 * restore cut short (a crash, a lost connection, a quit) goes on where it stopped, and the history
 * store takes them from the inbox as it takes everything (its writes are idempotent by message
 * id). Only messages the server stored before this device joined are restored, as read: from
 * then on every message was queued for it, so it gets those live (unread, and read elsewhere
 * through read_sync) and a restore never hands one over twice. (A message I sent is archived
 * with my device's time for the server's: a clock far off moves it across that line.)
 *
 * It waits while the inbox is full (the history store is behind), so messages that arrive
 * meanwhile do not queue behind the whole archive, and memory stays flat.
 */
export class ArchiveRestore {
  readonly onProgress = new Emitter<RestoreProgress>();
  /** New items are in the inbox. */
  readonly onInboxChanged = new Emitter<void>();
  private inFlight: Promise<void> | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;

  constructor(private readonly options: ArchiveRestoreOptions) {}

  get progress(): RestoreProgress {
    const { restored, total, done } = this.state() ?? { restored: 0, total: 0, done: true };
    return { restored, total: Math.max(total, restored), done };
  }

  /** Starts (or goes on with) the restore, if this device has one unfinished; resolves when it stops. Never rejects. */
  start(): Promise<void> {
    if (this.stopped || this.progress.done) return Promise.resolve();
    this.inFlight ??= this.run()
      .catch((error: unknown) => {
        this.options.logger.warn('archive.restore_failed', { reason: error instanceof Error ? error.name : 'unknown' });
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }

  /** Resolves when no restore runs. */
  running(): Promise<void> {
    return this.inFlight ?? Promise.resolve();
  }

  /** The history store took items from the inbox: a restore waiting for room looks again. */
  inboxDrained() {
    this.wake?.();
  }

  async stop() {
    this.stopped = true;
    this.wake?.();
    await this.inFlight;
  }

  private state(): RestoreState | undefined {
    return this.options.vault.transaction().getJson<RestoreState>('meta', RESTORE_META_KEY);
  }

  private async run() {
    const { vault, api, keys, logger } = this.options;
    let counted = false;
    for (;;) {
      const state = this.state();
      if (!state || state.done || this.stopped) return;
      if (!(await this.roomInInbox())) return;
      const joinedAt = state.joinedAt ?? this.options.joinedAt;
      let page;
      try {
        page = await api.archivePage(state.after, ARCHIVE_BATCH_MAX, !counted);
      } catch (error) {
        // Switched off (from another device): there is nothing to restore.
        if (error instanceof ServerError && error.code === 'forbidden') return this.finish(state);
        throw error; // unreachable or refused: the next connect starts it again
      }
      const transaction = vault.transaction();
      const items: InboxItem[] = [];
      let skipped = 0;
      for (const item of page.items) {
        const record = openArchiveItem(keys, item.id, item.body);
        if (!record || !this.isConsistent(record)) skipped += 1;
        // Stored once this device existed: it came (or comes) live, unread as it should be.
        else if (record.message.serverReceivedAt < joinedAt) items.push(inboxItemOf(record));
      }
      transaction.prefetch(
        'inbox',
        items.map((item) => item.inboxId),
      );
      // One received live meanwhile is there already, unread as it should be.
      for (const item of items) if (!transaction.get('inbox', item.inboxId)) transaction.putJson('inbox', item.inboxId, item);
      const restored = state.restored + page.items.length;
      const total = counted ? state.total : state.restored + (page.remaining ?? page.items.length);
      counted = true;
      const last = page.items[page.items.length - 1];
      // A page must move on: one that does not (empty with more to come, or behind its start) would restore forever.
      if ((last === undefined && page.next !== null) || (last !== undefined && last.seq <= state.after) || (page.next !== null && page.next <= state.after)) {
        throw new Error('the archive page does not move on');
      }
      const next: RestoreState = { after: last?.seq ?? state.after, restored, total: Math.max(total, restored), done: page.next === null };
      transaction.putJson('meta', RESTORE_META_KEY, next);
      await transaction.commit();
      if (skipped > 0) logger.warn('archive.items_skipped', { items: skipped });
      if (items.length > 0) this.onInboxChanged.emit();
      this.onProgress.emit(this.progress);
    }
  }

  private finish(state: RestoreState) {
    const transaction = this.options.vault.transaction();
    transaction.putJson('meta', RESTORE_META_KEY, { ...state, total: state.restored, done: true });
    transaction.commit().catch((error: unknown) => {
      this.options.logger.warn('archive.restore_not_saved', { reason: error instanceof Error ? error.name : 'unknown' });
    });
    this.onProgress.emit(this.progress);
  }

  /** Resolves true once the inbox has room, false if stopped while waiting. */
  private async roomInInbox(): Promise<boolean> {
    const highWater = this.options.inboxHighWater ?? INBOX_HIGH_WATER;
    while (!this.stopped && this.options.vault.count('inbox') >= highWater) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = undefined;
    }
    return !this.stopped;
  }

  /** Only my own messages go out, and an incoming one is from the conversation's other party. */
  private isConsistent({ message }: ArchiveRecord): boolean {
    const mine = message.senderAccountId === this.options.accountId;
    return message.direction === 'out' ? mine : !mine && message.senderAccountId === message.conversationId;
  }
}

/** History from before this device joined: read already, on the devices that had it. */
function inboxItemOf({ message }: ArchiveRecord): InboxItem {
  return { inboxId: `message:${message.senderAccountId}:${message.messageId}`, kind: 'message', message: { ...message, read: true } };
}
