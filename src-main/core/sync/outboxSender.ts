import type { Clock, Logger } from '../../../src-shared/domain/runtime';
import type { ErrorCode, WireError } from '../../../src-shared/protocol/errors';
import type { SendResultFrame } from '../../../src-shared/protocol/frames';
import type { ServerApi } from '../api/serverApi';
import { protocolStores } from '../signal/protocolStores';
import { Emitter } from '../util/emitter';
import type { SerialQueue } from '../util/serialQueue';
import type { Vault } from '../vault/vault';
import type { VaultTransaction } from '../vault/vaultTransaction';
import { backoffDelay } from './backoff';
import { DeviceDirectory, rememberSendingDevice } from './deviceDirectory';
import type { LocalDevice } from './localDevice';
import type { MessageProbe } from './messageProbe';
import type { ArchiveStaging } from '../archive/accountArchive';
import type { OutboxEntry } from './outboxEntry';
import { prepareEntries } from './outboxPreparation';
import { ConnectionLostError, type ServerConnection } from './serverConnection';

/** Sends in flight at once on the socket; the server answers them in order. */
const WINDOW = 64;
/** Refusals that no retry can change: the entry leaves the outbox as failed. */
const FINAL_REFUSALS: ReadonlySet<ErrorCode> = new Set(['not_found', 'bad_request', 'payload_too_large', 'forbidden']);
/** Waiting time before retrying after a transient refusal or an unpreparable entry. */
const RETRY = { initialMs: 1_000, maxMs: 60_000 };

export type OutboxSenderOptions = {
  vault: Vault;
  cryptoQueue: SerialQueue;
  local: LocalDevice;
  api: ServerApi;
  connection: ServerConnection;
  clock: Clock;
  logger: Logger;
  random?: () => number;
  /** Where my messages are staged for the account's archive once the server has them. */
  archive?: ArchiveStaging;
  probe?: MessageProbe;
};

export type SendFailure = { entry: OutboxEntry; error: WireError | { code: 'undeliverable'; message: string } };

type RoundOutcome = 'continue' | 'connection_lost' | 'retry_later';

/** How often a note to self (nothing to send: no other device known) asks the server whether devices were added. */
const OWN_DEVICES_CHECK_MS = 30_000;

/**
 * Drains the vault's outbox to the server, oldest first. Each entry is encrypted once, its
 * ciphertexts committed to the vault before the first byte leaves (so a ratchet step is never
 * used for two different messages), then sent; it leaves the outbox only when the server has
 * stored it, or refused it for good. A lost answer means a resend of the same bytes under the
 * same idempotency key; a transient refusal means a retry with back-off.
 */
export class OutboxSender {
  readonly onSent = new Emitter<OutboxEntry>();
  readonly onFailed = new Emitter<SendFailure>();

  private flushing: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryAttempt = 0;
  /** When ownDevicesAdded last asked the server (ms). */
  private ownDevicesCheckedAt = Number.NEGATIVE_INFINITY;
  private readonly repairs = new Map<string, number>();

  constructor(private readonly options: OutboxSenderOptions) {}

  /** The devices of `accountId`, fetching keys and starting sessions where needed (on the crypto queue, committed). */
  devicesOf(accountId: string): Promise<Array<{ accountId: string; deviceId: number }>> {
    return this.options.cryptoQueue.run(async () => {
      const { vault, clock, local, api } = this.options;
      const transaction = vault.transaction();
      const directory = new DeviceDirectory(transaction, protocolStores(transaction, () => clock.now()), api, local, () => new Date(clock.now()));
      const devices = await directory.recipientDevices(accountId);
      await transaction.commit();
      return devices;
    });
  }

  get pending() {
    return this.options.vault.count('outbox');
  }

  /** Sends whatever is waiting; concurrent calls join the running flush (and make it look again). */
  flush(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.flushing) {
      this.again = true;
      return this.flushing;
    }
    clearTimeout(this.retryTimer);
    this.flushing = this.run()
      .catch((error: unknown) => {
        this.options.logger.error('send.flush_failed', { reason: error instanceof Error ? error.name : 'unknown' });
        this.scheduleRetry();
      })
      .finally(() => {
        this.flushing = undefined;
      });
    return this.flushing;
  }

  /** No more flushes; resolves once the running one has ended. */
  async stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    while (this.flushing) await this.flushing;
  }

  private scheduleRetry() {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    const delay = backoffDelay(this.retryAttempt, { ...RETRY, random: this.options.random ?? Math.random });
    this.retryAttempt += 1;
    this.retryTimer = setTimeout(() => void this.flush(), delay);
    this.retryTimer.unref();
  }

  private async run() {
    do {
      this.again = false;
      while (this.options.connection.isOpen && !this.stopped) {
        const entries = this.options.vault
          .list('outbox', WINDOW)
          .map((bytes) => JSON.parse(bytes.toString('utf8')) as OutboxEntry);
        if (entries.length === 0) {
          this.retryAttempt = 0;
          break;
        }
        const outcome = await this.round(entries);
        if (outcome === 'connection_lost') return; // the next `ready` flushes again
        if (outcome === 'retry_later') return this.scheduleRetry();
      }
    } while (this.again && this.options.connection.isOpen && !this.stopped);
  }

  private async round(entries: OutboxEntry[]): Promise<RoundOutcome> {
    const { cryptoQueue, vault, clock, local, api, logger } = this.options;
    const preparation = await cryptoQueue.run(() => prepareEntries(entries, { vault, clock, local, api, logger }));
    // Off the crypto queue: receiving goes on while the disk takes the new ratchet states.
    await preparation.durable;
    const probe = this.options.probe;
    if (probe) {
      const texts = preparation.ready.flatMap((entry) => (entry.content.kind === 'text' ? [entry.content.messageId] : []));
      if (texts.length > 0) probe.record('prepared', texts, probe.now());
    }
    for (const { entry, reason } of preparation.undeliverable) {
      this.onFailed.emit({ entry, error: { code: 'undeliverable', message: reason } });
    }
    const withDevices = preparation.ready.filter((entry) => entry.prepared!.envelopes.length > 0);
    // A note to self with no other device known: the server is not asked, so first make sure
    // no device was added meanwhile (by password, elsewhere); if one was, prepare it again for it.
    const lonely = preparation.ready.filter((entry) => entry.prepared!.envelopes.length === 0);
    if (lonely.length > 0 && (await this.ownDevicesAdded(lonely))) return 'continue';
    const results = await Promise.allSettled(
      withDevices.map((entry) =>
        this.options.connection.request({
          type: 'send',
          idempotencyKey: entry.id,
          to: entry.to,
          timestamp: entry.prepared!.timestamp,
          envelopes: entry.prepared!.envelopes,
          ...(entry.onlyDevice !== undefined && { oneDevice: true }),
        }),
      ),
    );
    // A note to self with no other device: nothing to send, done at once.
    const alreadyDone = preparation.ready.filter((entry) => entry.prepared!.envelopes.length === 0);
    const outcome = await cryptoQueue.run(() => this.settle(withDevices, results, alreadyDone));
    if (outcome === 'continue' && preparation.deferred) return 'retry_later';
    return outcome;
  }

  /**
   * Whether the server lists devices of my account this device does not know; if so they are
   * remembered and `lonely` loses its (empty) preparation, in one commit. Asked at most every
   * OWN_DEVICES_CHECK_MS; false when the server cannot be asked (the notes are done as before).
   */
  private async ownDevicesAdded(lonely: OutboxEntry[]): Promise<boolean> {
    const { vault, clock, local, api, cryptoQueue } = this.options;
    if (clock.now() - this.ownDevicesCheckedAt < OWN_DEVICES_CHECK_MS) return false;
    this.ownDevicesCheckedAt = clock.now();
    let listed: number[];
    try {
      listed = (await api.listDevices()).devices.map((device) => device.deviceId).filter((deviceId) => deviceId !== local.deviceId);
    } catch {
      return false;
    }
    return cryptoQueue.run(async () => {
      const transaction = vault.transaction();
      const known = transaction.getJson<number[]>('devices', local.accountId) ?? [];
      const added = listed.filter((deviceId) => !known.includes(deviceId));
      if (added.length === 0) return false;
      for (const deviceId of added) rememberSendingDevice(transaction, local.accountId, deviceId);
      for (const entry of lonely) {
        const { prepared: _empty, ...unprepared } = entry;
        transaction.putJson('outbox', entry.id, unprepared);
      }
      await transaction.commit();
      return true;
    });
  }

  /**
   * A text message the server has, staged for the archive in the transaction that takes it out
   * of the outbox: a power cut that undoes the one undoes the other, and the resend stages it again.
   */
  private archiveSent(transaction: VaultTransaction, entry: OutboxEntry) {
    if (entry.content.kind !== 'text' || !this.options.archive) return;
    const { local } = this.options;
    const { messageId, sentAt, text } = entry.content;
    this.options.archive.stage(transaction, {
      messageId,
      conversationId: entry.to,
      direction: 'out',
      senderAccountId: local.accountId,
      senderDeviceId: local.deviceId,
      text,
      sentAt,
      serverReceivedAt: entry.prepared?.timestamp ?? sentAt,
    });
  }

  /** Applies the server's answers to the outbox in one vault transaction. */
  private async settle(
    entries: OutboxEntry[],
    results: Array<PromiseSettledResult<SendResultFrame>>,
    alreadyDone: OutboxEntry[],
  ): Promise<RoundOutcome> {
    const { vault, clock, local, api, logger } = this.options;
    const transaction = vault.transaction();
    const directory = new DeviceDirectory(transaction, protocolStores(transaction, () => clock.now()), api, local, () => new Date(clock.now()));
    const sent: OutboxEntry[] = [...alreadyDone];
    const failed: SendFailure[] = [];
    let outcome: RoundOutcome = 'continue';
    let devicesChanged = false;
    for (const entry of alreadyDone) transaction.delete('outbox', entry.id);
    results.forEach((result, index) => {
      const entry = entries[index]!;
      if (result.status === 'rejected') {
        if (!(result.reason instanceof ConnectionLostError)) throw result.reason;
        outcome = 'connection_lost';
        return;
      }
      const frame = result.value;
      if (frame.ok) {
        transaction.delete('outbox', entry.id);
        this.repairs.delete(entry.id);
        sent.push(entry);
        return;
      }
      const { error } = frame;
      if (error.code === 'mismatched_devices' || error.code === 'stale_devices') {
        const repairs = (this.repairs.get(entry.id) ?? 0) + 1;
        this.repairs.set(entry.id, repairs);
        directory.applyMismatch(error.missing ?? [], error.extra ?? []);
        directory.applyStale(error.stale ?? []);
        transaction.putJson('outbox', entry.id, { ...entry, prepared: undefined });
        devicesChanged = true;
        if (repairs > 3 && outcome === 'continue') outcome = 'retry_later'; // the server and I keep disagreeing: slow down
        return;
      }
      logger.warn('send.refused', { code: error.code });
      if (FINAL_REFUSALS.has(error.code)) {
        transaction.delete('outbox', entry.id);
        this.repairs.delete(entry.id);
        failed.push({ entry, error });
      } else if (outcome === 'continue') {
        outcome = 'retry_later'; // kept, with its ciphertexts, for the retry
      }
    });
    // Relaxed unless something besides deletions happened: a deletion undone by a power cut only
    // means a resend, which the server's idempotency key stores once (and the archive item staged
    // with the deletion is undone with it and staged again at the resend).
    for (const entry of sent) this.archiveSent(transaction, entry);
    await transaction.commit(devicesChanged || failed.length > 0 ? 'durable' : 'relaxed');
    for (const entry of sent) this.onSent.emit(entry);
    for (const failure of failed) this.onFailed.emit(failure);
    return outcome;
  }
}
