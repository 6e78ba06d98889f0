import type { Clock, Logger } from '../../../src-shared/domain/runtime';
import type { OutgoingEnvelope } from '../../../src-shared/protocol/frames';
import { ServerError, type ServerApi } from '../api/serverApi';
import { encodeContent } from '../signal/contentCodec';
import { encryptForDevice, protocolAddress } from '../signal/messageCipher';
import { protocolStores } from '../signal/protocolStores';
import type { Vault } from '../vault/vault';
import type { VaultTransaction } from '../vault/vaultTransaction';
import { DeviceDirectory, UndeliverableError } from './deviceDirectory';
import type { LocalDevice } from './localDevice';
import type { OutboxEntry } from './outboxEntry';

export type PreparationContext = { vault: Vault; clock: Clock; local: LocalDevice; api: ServerApi; logger: Logger };

export type Preparation = {
  /** Entries with ciphertexts, in outbox order. */
  ready: OutboxEntry[];
  /** Entries that can never be delivered (removed from the outbox). */
  undeliverable: Array<{ entry: OutboxEntry; reason: string }>;
  /** Some entries could not be prepared now (server busy, unreachable): try again later. */
  deferred: boolean;
  /** Resolves once the ciphertexts and the sessions they advanced are on disk: nothing may be sent before. */
  durable: Promise<void>;
};

/**
 * Encrypts every entry that has no ciphertexts yet and commits them in one vault transaction;
 * `durable` says when they are on disk, and nothing is sent before. A conversation whose entry cannot be prepared now is
 * skipped for the rest of the round, so its later messages never overtake it.
 */
export async function prepareEntries(entries: OutboxEntry[], context: PreparationContext): Promise<Preparation> {
  const { vault, clock, local, api, logger } = context;
  const transaction = vault.transaction();
  const stores = protocolStores(transaction, () => clock.now());
  const directory = new DeviceDirectory(transaction, stores, api, local, () => new Date(clock.now()));
  const preparation: Omit<Preparation, 'durable'> = { ready: [], undeliverable: [], deferred: false };
  const blocked = new Set<string>();
  for (const entry of mergeReceipts(entries, transaction)) {
    if (blocked.has(entry.to)) continue;
    if (entry.prepared) {
      preparation.ready.push(entry);
      continue;
    }
    try {
      const envelopes = (await encryptEntry(entry, (accountId) => directory.recipientDevices(accountId), stores, local, clock))!;
      const next = { ...entry, prepared: { envelopes, timestamp: clock.now() } };
      transaction.putJson('outbox', entry.id, next);
      preparation.ready.push(next);
    } catch (error) {
      const final = error instanceof UndeliverableError || (error instanceof ServerError && error.code === 'not_found');
      logger.warn('send.prepare_failed', { reason: error instanceof Error ? error.name : 'unknown', final });
      if (final) {
        transaction.delete('outbox', entry.id);
        preparation.undeliverable.push({ entry, reason: error instanceof Error ? error.message : 'undeliverable' });
      } else {
        blocked.add(entry.to);
        preparation.deferred = true;
      }
    }
  }
  const durable = transaction.commit();
  // Awaited by the sender; a rejection here must not go unhandled meanwhile.
  durable.catch(() => undefined);
  return { ...preparation, durable };
}

/** The devices a message to an account goes to (fetching keys where needed), or undefined when they are not at hand. */
type DevicesOf = (accountId: string) => Promise<Array<{ accountId: string; deviceId: number }> | undefined>;

/** The entry's ciphertexts, or undefined when `devicesOf` has not every device it needs. */
async function encryptEntry(
  entry: OutboxEntry,
  devicesOf: DevicesOf,
  stores: ReturnType<typeof protocolStores>,
  local: LocalDevice,
  clock: Clock,
): Promise<OutgoingEnvelope[] | undefined> {
  const toSelf = entry.to === local.accountId;
  const recipients = toSelf ? [] : await devicesOf(entry.to);
  if (!recipients) return undefined;
  let targets: Array<{ accountId: string; deviceId: number; sync: boolean }>;
  if (entry.onlyDevice !== undefined) {
    // A secret chat's device only; gone from the account, the chat can never be reached again.
    const device = recipients.find((candidate) => candidate.deviceId === entry.onlyDevice);
    if (!device) throw new UndeliverableError('the device of this secret chat is no longer on its account');
    targets = [{ ...device, sync: false }];
  } else {
    const mine = await devicesOf(local.accountId);
    if (!mine) return undefined;
    targets = [...recipients.map((device) => ({ ...device, sync: false })), ...mine.map((device) => ({ ...device, sync: !toSelf }))];
  }
  const plain = encodeContent(entry.content);
  const sync = entry.syncContent ? encodeContent(entry.syncContent) : plain;
  const envelopes: OutgoingEnvelope[] = [];
  for (const target of targets) {
    const address = protocolAddress(target.accountId, target.deviceId);
    envelopes.push(await encryptForDevice(stores, local.address, address, target.sync ? sync : plain, new Date(clock.now())));
  }
  return envelopes;
}

/**
 * New entries, encrypted in the transaction that puts them in the outbox where every session
 * they need is at hand (no network is asked): then one durable commit holds the message and its
 * ciphertexts, instead of one for the message and another for its encryption. An entry that
 * needs keys fetched, or whose encryption fails, is put as it is, and so is every later one to
 * the same account (the sender prepares them in order). Never throws: what is not prepared here
 * the sender prepares.
 */
export async function prepareOnEnqueue(entries: OutboxEntry[], transaction: VaultTransaction, context: PreparationContext): Promise<OutboxEntry[]> {
  const { clock, local, api, logger } = context;
  const stores = protocolStores(transaction, () => clock.now());
  const directory = new DeviceDirectory(transaction, stores, api, local, () => new Date(clock.now()));
  const blocked = new Set<string>();
  const prepared: OutboxEntry[] = [];
  for (const entry of entries) {
    let envelopes: OutgoingEnvelope[] | undefined;
    if (!blocked.has(entry.to)) {
      try {
        envelopes = await encryptEntry(entry, (accountId) => directory.devicesAtHand(accountId), stores, local, clock);
      } catch (error) {
        logger.debug('send.prepare_on_enqueue_failed', { reason: error instanceof Error ? error.name : 'unknown' });
      }
    }
    if (!envelopes) blocked.add(entry.to);
    prepared.push(envelopes ? { ...entry, prepared: { envelopes, timestamp: clock.now() } } : entry);
  }
  return prepared;
}

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
