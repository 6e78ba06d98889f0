import { randomBytes } from 'node:crypto';
import type { Clock } from '../../src-shared/domain/runtime';
import type { SendFrame } from '../../src-shared/protocol/frames';
import { deviceKeyOf } from '../bus/bus';
import { DEFAULT_ABUSE_LIMITS, type AbuseLimits } from '../abuseLimits';
import type { DeviceForSend } from '../storage/devicesRepository';
import type { NewEnvelope } from '../storage/envelopesRepository';
import { queuedBytesOf } from '../storage/queuedBytes';
import type { SendKey } from '../storage/sendsRepository';
import type { Repositories } from '../storage/storage';
import type { AuthenticatedDevice } from './deviceAuth';
import { checkCoverage, checkOneDeviceTarget, type GivenEnvelope } from './sendCoverage';
import { ServiceError } from './serviceError';

/** One frame's worth of queue writes: a send to store, or an ack to delete. */
export type DeliveryWork =
  /** `given` is the frame's envelopes by device (see `envelopesByDevice`). */
  | { kind: 'send'; sender: AuthenticatedDevice; frame: SendFrame; given: ReadonlyMap<string, GivenEnvelope> }
  | { kind: 'ack'; device: AuthenticatedDevice; envelopeIds: readonly string[] };

/** What became of one send: stored (now or by an earlier send with its key), or refused whole. */
export type StoredSend =
  | { stored: true; serverTimestamp: number; repeated: boolean; destinations: string[] }
  | { stored: false; refusal: ServiceError };

export type DeliveryWorkResult = StoredSend | { deleted: number };

const ID_BYTES = 16;

const HOUR_MS = 60 * 60 * 1000;

/**
 * How long a send's idempotency record answers repeats of its key, by default. A client repeats
 * a send whose answer it missed within minutes of reconnecting; past this a repeat is stored
 * again (the recipient drops the duplicate by its message id), and the retention job deletes the
 * record, so the server keeps who sent when for hours, not weeks.
 */
export const DEFAULT_SENDS_RETENTION_MS = 24 * HOUR_MS;

/** What a sender is told to wait when a recipient's queue is full: its owner must come online and fetch first. */
export const QUOTA_RETRY_AFTER_SECONDS = 15 * 60;

/** The rules a batch enforces besides coverage. */
export type DeliveryPolicy = {
  /** Records stored longer ago than this no longer answer repeats (DEFAULT_SENDS_RETENTION_MS). */
  sendsRetentionMs: number;
  limits: Pick<AbuseLimits, 'queuedBytesPerDevice'>;
};

/**
 * Random, URL-safe, 128 bits each: an envelope id tells nothing about order or volume. One
 * draw from the CSPRNG for a whole batch costs about what a draw for one id costs.
 */
export function newEnvelopeIds(count: number): string[] {
  const bytes = randomBytes(ID_BYTES * count);
  return Array.from({ length: count }, (_, index) => bytes.toString('base64url', index * ID_BYTES, (index + 1) * ID_BYTES));
}

export function newEnvelopeId(): string {
  return newEnvelopeIds(1)[0]!;
}

const sendKeyOf = (key: SendKey) => `${key.accountId}\0${key.deviceId}\0${key.idempotencyKey}`;

/** The oldest record time that still answers a repeat at `now`. */
export const sendsNotBefore = (now: number, sendsRetentionMs: number) => now - sendsRetentionMs;

/**
 * Does a batch of sends and acks inside one transaction, in order, with a handful of queries
 * for the whole batch: one idempotency lookup, one recipient check, one device listing (which
 * on PostgreSQL locks every device row the batch touches, in one global order, so batches on
 * different nodes neither deadlock nor commit one queue's envelopes out of sequence order), one
 * insert of all envelopes and one of all idempotency records.
 *
 * Each send is judged as if alone, after the ones before it: a refused send adds nothing, and a
 * repeat of a key stored earlier in the batch answers as that send did. A record older than
 * the policy's idempotency window is ignored (and deleted, freeing its key). A send that would
 * take a destination device's queue past `queuedBytesPerDevice` is refused whole with
 * `quota_exceeded`; acks earlier in the batch free their bytes first. Throws only on a storage
 * failure, which rolls the whole batch back.
 */
export async function commitDeliveryBatch(
  repositories: Repositories,
  clock: Clock,
  work: readonly DeliveryWork[],
  policy: DeliveryPolicy = { sendsRetentionMs: DEFAULT_SENDS_RETENTION_MS, limits: DEFAULT_ABUSE_LIMITS },
): Promise<DeliveryWorkResult[]> {
  const sends = work.flatMap((item) => (item.kind === 'send' ? [item] : []));
  const keyOf = (item: (typeof sends)[number]) =>
    sendKeyOf({ accountId: item.sender.accountId, deviceId: item.sender.deviceId, idempotencyKey: item.frame.idempotencyKey });

  const answered = new Map<string, number>();
  if (sends.length > 0) {
    const notBefore = sendsNotBefore(clock.now(), policy.sendsRetentionMs);
    const keys = new Map(
      sends.map((item) => [
        keyOf(item),
        { accountId: item.sender.accountId, deviceId: item.sender.deviceId, idempotencyKey: item.frame.idempotencyKey },
      ]),
    );
    const expired: SendKey[] = [];
    for (const earlier of await repositories.sends.findMany([...keys.values()])) {
      if (earlier.serverTimestamp >= notBefore) answered.set(sendKeyOf(earlier), earlier.serverTimestamp);
      else expired.push(earlier);
    }
    // Rare (a repeat after a day, before retention ran): the key's new record replaces the old.
    if (expired.length > 0) await repositories.sends.deleteExpired(expired, notBefore);
  }
  const fresh = sends.filter((item) => !answered.has(keyOf(item)));
  const recipients = await repositories.accounts.existingIds([...new Set(fresh.map((item) => item.frame.to))]);
  const involved = new Set(fresh.flatMap((item) => (recipients.has(item.frame.to) ? [item.frame.to, item.sender.accountId] : [])));
  // Acking devices too: their counters change, and on PostgreSQL their rows must be locked in
  // the same global order before their envelopes are deleted (see the envelopes repository).
  for (const item of work) if (item.kind === 'ack' && item.envelopeIds.length > 0) involved.add(item.device.accountId);
  const devicesByAccount = new Map<string, DeviceForSend[]>();
  /** Each listed device's queued bytes as this batch has changed them so far. */
  const queued = new Map<string, number>();
  if (involved.size > 0) {
    for (const device of await repositories.devices.listForSend([...involved])) {
      const list = devicesByAccount.get(device.accountId) ?? [];
      list.push(device);
      devicesByAccount.set(device.accountId, list);
      queued.set(deviceKeyOf(device.accountId, device.deviceId), device.queuedBytes);
    }
  }

  const envelopes: Array<Omit<NewEnvelope, 'id'>> = [];
  const records: Array<SendKey & { serverTimestamp: number }> = [];
  const results: DeliveryWorkResult[] = [];
  for (const item of work) {
    if (item.kind === 'ack') {
      // No send of this batch can be acked yet: its envelopes' ids are known only after the commit.
      const { deleted, bytes } = await repositories.envelopes.deleteAcked(item.device.accountId, item.device.deviceId, item.envelopeIds);
      const key = deviceKeyOf(item.device.accountId, item.device.deviceId);
      queued.set(key, (queued.get(key) ?? 0) - bytes);
      results.push({ deleted });
      continue;
    }
    const { sender, frame, given } = item;
    const key = keyOf(item);
    const earlier = answered.get(key);
    if (earlier !== undefined) {
      results.push({ stored: true, serverTimestamp: earlier, repeated: true, destinations: [] });
      continue;
    }
    try {
      if (!recipients.has(frame.to)) throw new ServiceError('not_found', 'no such account');
      const accounts = frame.to === sender.accountId ? [frame.to] : [frame.to, sender.accountId].sort();
      if (frame.oneDevice) checkOneDeviceTarget(sender, frame.to, given, devicesByAccount.get(frame.to) ?? []);
      else checkCoverage(sender, given, accounts.flatMap((accountId) => devicesByAccount.get(accountId) ?? []));
      const adding = [...given.values()].map((envelope) => ({ key: deviceKeyOf(envelope.accountId, envelope.deviceId), bytes: queuedBytesOf(envelope.body) }));
      const full = adding.find(({ key, bytes }) => (queued.get(key) ?? 0) + bytes > policy.limits.queuedBytesPerDevice);
      if (full) {
        throw new ServiceError(
          'quota_exceeded',
          `device ${full.key} has as many bytes queued as it may hold; nothing was stored, try again after it has fetched its messages`,
          { retryAfterSeconds: QUOTA_RETRY_AFTER_SECONDS },
        );
      }
      for (const { key, bytes } of adding) queued.set(key, (queued.get(key) ?? 0) + bytes);
      const serverTimestamp = clock.now();
      for (const envelope of given.values()) {
        envelopes.push({
          destinationAccountId: envelope.accountId,
          destinationDeviceId: envelope.deviceId,
          sourceAccountId: sender.accountId,
          sourceDeviceId: sender.deviceId,
          ciphertextType: envelope.ciphertextType,
          body: envelope.body,
          serverTimestamp,
          clientTimestamp: frame.timestamp,
        });
      }
      records.push({ accountId: sender.accountId, deviceId: sender.deviceId, idempotencyKey: frame.idempotencyKey, serverTimestamp });
      answered.set(key, serverTimestamp);
      results.push({
        stored: true,
        serverTimestamp,
        repeated: false,
        destinations: [...given.values()].map((envelope) => deviceKeyOf(envelope.accountId, envelope.deviceId)),
      });
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      results.push({ stored: false, refusal: error });
    }
  }

  const ids = newEnvelopeIds(envelopes.length);
  await repositories.envelopes.insertMany(envelopes.map((envelope, index) => ({ ...envelope, id: ids[index]! })));
  await repositories.sends.insertMany(records);
  return results;
}
