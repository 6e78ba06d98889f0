import type { Clock, Logger } from '../../../src-shared/domain/runtime';
import type { WireError } from '../../../src-shared/protocol/errors';
import type { OutgoingEnvelope, SendResultFrame } from '../../../src-shared/protocol/frames';
import type { ServerApi } from '../api/serverApi';
import { encodeContent } from '../signal/contentCodec';
import { encryptForDevice, protocolAddress } from '../signal/messageCipher';
import { protocolStores } from '../signal/protocolStores';
import { Emitter } from '../util/emitter';
import type { SerialQueue } from '../util/serialQueue';
import type { Vault } from '../vault/vault';
import type { VaultTransaction } from '../vault/vaultTransaction';
import { DeviceDirectory } from './deviceDirectory';
import type { LocalDevice } from './localDevice';
import type { OutboxEntry } from './outboxEntry';
import { ConnectionLostError, type ServerConnection } from './serverConnection';

/** Sends in flight at once on the socket; the server answers them in order. */
const WINDOW = 64;
/** Device-list repairs one entry may need before it is given up as undeliverable. */
const MAX_REPAIRS = 5;

export type OutboxSenderOptions = {
  vault: Vault;
  cryptoQueue: SerialQueue;
  local: LocalDevice;
  api: ServerApi;
  connection: ServerConnection;
  clock: Clock;
  logger: Logger;
};

/**
 * Receipts owed to one account and not yet encrypted become one message: under load a
 * device acks many small batches, and each would otherwise cost a message of its own.
 */
function mergeReceipts(entries: OutboxEntry[], transaction: VaultTransaction): OutboxEntry[] {
  const merged: OutboxEntry[] = [];
  const openReceipt = new Map<string, OutboxEntry>();
  for (const entry of entries) {
    const content = entry.content;
    if (entry.prepared || content.kind !== 'receipt') {
      merged.push(entry);
      continue;
    }
    const key = `${entry.to}\0${content.receiptType}`;
    const target = openReceipt.get(key);
    const targetContent = target?.content;
    if (target && targetContent?.kind === 'receipt' && targetContent.messageIds.length + content.messageIds.length <= 1_000) {
      targetContent.messageIds.push(...content.messageIds);
      transaction.putJson('outbox', target.id, target);
      transaction.delete('outbox', entry.id);
      continue;
    }
    const copy: OutboxEntry = { ...entry, content: { ...content, messageIds: [...content.messageIds] } };
    openReceipt.set(key, copy);
    merged.push(copy);
  }
  return merged;
}

export type SendFailure = { entry: OutboxEntry; error: WireError | { code: 'undeliverable'; message: string } };

/**
 * Drains the vault's outbox to the server, oldest first. Each entry is encrypted once, its
 * ciphertexts committed to the vault before the first byte leaves (so a ratchet step is never
 * used for two different messages), then sent; it leaves the outbox only when the server has
 * stored it. A lost answer means a resend of the same bytes under the same idempotency key.
 */
export class OutboxSender {
  readonly onSent = new Emitter<OutboxEntry>();
  readonly onFailed = new Emitter<SendFailure>();

  private flushing: Promise<void> | undefined;
  private again = false;
  private readonly repairs = new Map<string, number>();

  constructor(private readonly options: OutboxSenderOptions) {}

  get pending() {
    return this.options.vault.count('outbox');
  }

  /** Sends whatever is waiting; concurrent calls join the running flush (and make it look again). */
  flush(): Promise<void> {
    if (this.flushing) {
      this.again = true;
      return this.flushing;
    }
    this.flushing = this.run()
      .catch((error: unknown) => {
        // Whatever failed stays in the outbox and is tried again on the next flush.
        this.options.logger.error('send.flush_failed', { reason: error instanceof Error ? error.name : 'unknown' });
      })
      .finally(() => {
        this.flushing = undefined;
      });
    return this.flushing;
  }

  /** Resolves once no flush is running. */
  async idle() {
    while (this.flushing) await this.flushing;
  }

  private async run() {
    do {
      this.again = false;
      while (this.options.connection.isOpen) {
        const entries = this.options.vault
          .list('outbox', WINDOW)
          .map((bytes) => JSON.parse(bytes.toString('utf8')) as OutboxEntry);
        if (entries.length === 0) break;
        const prepared = await this.options.cryptoQueue.run(() => this.prepare(entries));
        const lost = await this.sendAll(prepared);
        if (lost) return;
      }
    } while (this.again && this.options.connection.isOpen);
  }

  /** Encrypts every entry that has no ciphertexts yet; one vault commit for all of them. */
  private async prepare(entries: OutboxEntry[]): Promise<OutboxEntry[]> {
    const { vault, clock, local, api } = this.options;
    const transaction = vault.transaction();
    const stores = protocolStores(transaction, () => clock.now());
    const directory = new DeviceDirectory(transaction, stores, api, local, () => new Date(clock.now()));
    const ready: OutboxEntry[] = [];
    for (const entry of mergeReceipts(entries, transaction)) {
      if (entry.prepared) {
        ready.push(entry);
        continue;
      }
      try {
        const envelopes: OutgoingEnvelope[] = [];
        const targets = [
          ...(entry.to === local.accountId ? [] : (await directory.recipientDevices(entry.to)).map((d) => ({ ...d, sync: false }))),
          ...(await directory.recipientDevices(local.accountId)).map((d) => ({ ...d, sync: entry.to !== local.accountId })),
        ];
        const plain = encodeContent(entry.content);
        const sync = entry.syncContent ? encodeContent(entry.syncContent) : plain;
        for (const target of targets) {
          const address = protocolAddress(target.accountId, target.deviceId);
          envelopes.push(await encryptForDevice(stores, local.address, address, target.sync ? sync : plain, new Date(clock.now())));
        }
        const next = { ...entry, prepared: { envelopes, timestamp: clock.now() } };
        transaction.putJson('outbox', entry.id, next);
        ready.push(next);
      } catch (error) {
        this.options.logger.warn('send.prepare_failed', { reason: error instanceof Error ? error.name : 'unknown' });
        if (error instanceof Error && error.name === 'ServerError') {
          // The recipient does not exist (any more): the message can never be delivered.
          transaction.delete('outbox', entry.id);
          this.onFailed.emit({ entry, error: { code: 'undeliverable', message: error.message } });
        } else {
          throw error;
        }
      }
    }
    transaction.commit();
    return ready;
  }

  /** Returns true when the connection was lost (the loop stops until the next `ready`). */
  private async sendAll(entries: OutboxEntry[]): Promise<boolean> {
    const noDevices = entries.filter((entry) => entry.prepared!.envelopes.length === 0);
    const toSend = entries.filter((entry) => entry.prepared!.envelopes.length > 0);
    const results = await Promise.allSettled(
      toSend.map((entry) =>
        this.options.connection.request({
          type: 'send',
          idempotencyKey: entry.id,
          to: entry.to,
          timestamp: entry.prepared!.timestamp,
          envelopes: entry.prepared!.envelopes,
        }),
      ),
    );
    let lost = false;
    await this.options.cryptoQueue.run(async () => {
      const transaction = this.options.vault.transaction();
      const stores = protocolStores(transaction, () => this.options.clock.now());
      const directory = new DeviceDirectory(transaction, stores, this.options.api, this.options.local, () => new Date(this.options.clock.now()));
      const sent: OutboxEntry[] = [...noDevices];
      const failed: SendFailure[] = [];
      for (const entry of noDevices) transaction.delete('outbox', entry.id);
      results.forEach((result, index) => {
        const entry = toSend[index]!;
        if (result.status === 'rejected') {
          if (!(result.reason instanceof ConnectionLostError)) throw result.reason;
          lost = true;
          return;
        }
        const frame: SendResultFrame = result.value;
        if (frame.ok) {
          transaction.delete('outbox', entry.id);
          this.repairs.delete(entry.id);
          sent.push(entry);
          return;
        }
        const { error } = frame;
        const repairs = (this.repairs.get(entry.id) ?? 0) + 1;
        if ((error.code === 'mismatched_devices' || error.code === 'stale_devices') && repairs <= MAX_REPAIRS) {
          this.repairs.set(entry.id, repairs);
          directory.applyMismatch(error.missing ?? [], error.extra ?? []);
          directory.applyStale(error.stale ?? []);
          transaction.putJson('outbox', entry.id, { ...entry, prepared: undefined });
          return;
        }
        this.options.logger.warn('send.refused', { code: error.code });
        transaction.delete('outbox', entry.id);
        this.repairs.delete(entry.id);
        failed.push({ entry, error });
      });
      // Relaxed unless a device list changed: after a power cut a sent entry is simply sent again,
      // and the server's idempotency key stores it once.
      transaction.commit(failed.length === 0 && results.every((r) => r.status === 'rejected' || r.value.ok) ? 'relaxed' : 'durable');
      for (const entry of sent) this.onSent.emit(entry);
      for (const failure of failed) this.onFailed.emit(failure);
    });
    return lost;
  }
}
