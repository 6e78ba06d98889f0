import { randomBytes } from 'node:crypto';
import type { Clock } from '../../src-shared/domain/runtime';
import type { SendFrame } from '../../src-shared/protocol/frames';
import { deviceKeyOf } from '../bus/bus';
import type { DeviceAddress } from '../storage/devicesRepository';
import type { NewEnvelope } from '../storage/envelopesRepository';
import type { SendKey } from '../storage/sendsRepository';
import type { Repositories } from '../storage/storage';
import type { AuthenticatedDevice } from './deviceAuth';
import { checkCoverage, type GivenEnvelope } from './sendCoverage';
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

/**
 * Does a batch of sends and acks inside one transaction, in order, with a handful of queries
 * for the whole batch: one idempotency lookup, one recipient check, one device listing (which
 * on PostgreSQL locks every device row the batch touches, in one global order, so batches on
 * different nodes neither deadlock nor commit one queue's envelopes out of sequence order), one
 * insert of all envelopes and one of all idempotency records.
 *
 * Each send is judged as if alone, after the ones before it: a refused send adds nothing, and a
 * repeat of a key stored earlier in the batch answers as that send did. Throws only on a
 * storage failure, which rolls the whole batch back.
 */
export async function commitDeliveryBatch(repositories: Repositories, clock: Clock, work: readonly DeliveryWork[]): Promise<DeliveryWorkResult[]> {
  const sends = work.flatMap((item) => (item.kind === 'send' ? [item] : []));
  const keyOf = (item: (typeof sends)[number]) =>
    sendKeyOf({ accountId: item.sender.accountId, deviceId: item.sender.deviceId, idempotencyKey: item.frame.idempotencyKey });

  const answered = new Map<string, number>();
  if (sends.length > 0) {
    const keys = new Map(
      sends.map((item) => [
        keyOf(item),
        { accountId: item.sender.accountId, deviceId: item.sender.deviceId, idempotencyKey: item.frame.idempotencyKey },
      ]),
    );
    for (const earlier of await repositories.sends.findMany([...keys.values()])) answered.set(sendKeyOf(earlier), earlier.serverTimestamp);
  }
  const fresh = sends.filter((item) => !answered.has(keyOf(item)));
  const recipients = await repositories.accounts.existingIds([...new Set(fresh.map((item) => item.frame.to))]);
  const involved = new Set(fresh.flatMap((item) => (recipients.has(item.frame.to) ? [item.frame.to, item.sender.accountId] : [])));
  const devicesByAccount = new Map<string, DeviceAddress[]>();
  if (involved.size > 0) {
    for (const device of await repositories.devices.listForSend([...involved])) {
      const list = devicesByAccount.get(device.accountId) ?? [];
      list.push(device);
      devicesByAccount.set(device.accountId, list);
    }
  }

  const envelopes: Array<Omit<NewEnvelope, 'id'>> = [];
  const records: Array<SendKey & { serverTimestamp: number }> = [];
  const results: DeliveryWorkResult[] = [];
  for (const item of work) {
    if (item.kind === 'ack') {
      // No send of this batch can be acked yet: its envelopes' ids are known only after the commit.
      results.push({ deleted: await repositories.envelopes.deleteAcked(item.device.accountId, item.device.deviceId, item.envelopeIds) });
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
      checkCoverage(sender, given, accounts.flatMap((accountId) => devicesByAccount.get(accountId) ?? []));
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
