import { randomBytes } from 'node:crypto';
import type { Clock, Logger } from '../../src-shared/domain/runtime';
import type { DeviceRef, WireError } from '../../src-shared/protocol/errors';
import type { SendFrame } from '../../src-shared/protocol/frames';
import { deviceKeyOf, type Bus } from '../bus/bus';
import { isUniqueViolation } from '../storage/database';
import type { QueuedEnvelope } from '../storage/envelopesRepository';
import type { Storage } from '../storage/storage';
import type { AuthenticatedDevice } from './deviceAuth';
import { describeError, ServiceError, toWireError } from './serviceError';

export type SendOutcome = { ok: true; serverTimestamp: number } | { ok: false; error: WireError };

/** A send's answer, and the devices to wake once the sender has it. */
export type SendResult = { outcome: SendOutcome; destinations: string[] };

/** Random, URL-safe, 128 bits: an envelope id tells nothing about order or volume. */
export function newEnvelopeId(): string {
  return randomBytes(16).toString('base64url');
}

const refKey = (ref: DeviceRef) => `${ref.accountId}.${ref.deviceId}`;
const byAddress = (a: DeviceRef, b: DeviceRef) =>
  a.accountId === b.accountId ? a.deviceId - b.deviceId : a.accountId < b.accountId ? -1 : 1;

export type DeliveryService = ReturnType<typeof createDeliveryService>;

export function createDeliveryService(options: { storage: Storage; bus: Bus; clock: Clock; logger: Logger }) {
  const { storage, bus, clock, logger } = options;

  /** Validates coverage and stores every envelope in one transaction; throws ServiceError on refusal. */
  async function store(sender: AuthenticatedDevice, frame: SendFrame): Promise<{ serverTimestamp: number; repeated: boolean; destinations: string[] }> {
    const given = new Map<string, SendFrame['envelopes'][number]>();
    for (const envelope of frame.envelopes) {
      const key = refKey(envelope);
      if (given.has(key)) throw new ServiceError('bad_request', 'a send carries at most one envelope per device');
      given.set(key, envelope);
    }

    return storage.transaction(async (repositories) => {
      const earlier = await repositories.sends.find(sender.accountId, sender.deviceId, frame.idempotencyKey);
      if (earlier) return { serverTimestamp: earlier.serverTimestamp, repeated: true, destinations: [] };

      if (!(await repositories.accounts.findById(frame.to))) throw new ServiceError('not_found', 'no such account');
      // Every device of the recipient and of the sender, except the sending device itself.
      const accountIds = [...new Set([frame.to, sender.accountId])];
      const expected = (await repositories.devices.listForSend(accountIds)).filter(
        (device) => !(device.accountId === sender.accountId && device.deviceId === sender.deviceId),
      );
      const expectedByKey = new Map(expected.map((device) => [refKey(device), device]));
      const missing = expected.filter((device) => !given.has(refKey(device))).map(({ accountId, deviceId }) => ({ accountId, deviceId }));
      const extra = [...given.values()]
        .filter((envelope) => !expectedByKey.has(refKey(envelope)))
        .map(({ accountId, deviceId }) => ({ accountId, deviceId }))
        .sort(byAddress);
      if (missing.length > 0 || extra.length > 0) {
        throw new ServiceError('mismatched_devices', 'the envelopes do not cover exactly the devices they must', { missing, extra });
      }
      const stale = [...given.values()]
        .filter((envelope) => expectedByKey.get(refKey(envelope))?.registrationId !== envelope.registrationId)
        .map(({ accountId, deviceId }) => ({ accountId, deviceId }))
        .sort(byAddress);
      if (stale.length > 0) throw new ServiceError('stale_devices', 'some devices were registered again', { stale });

      const serverTimestamp = clock.now();
      await repositories.envelopes.insertMany(
        [...given.values()].map((envelope) => ({
          id: newEnvelopeId(),
          destinationAccountId: envelope.accountId,
          destinationDeviceId: envelope.deviceId,
          sourceAccountId: sender.accountId,
          sourceDeviceId: sender.deviceId,
          ciphertextType: envelope.ciphertextType,
          body: envelope.body,
          serverTimestamp,
          clientTimestamp: frame.timestamp,
        })),
      );
      await repositories.sends.insert(sender.accountId, sender.deviceId, frame.idempotencyKey, serverTimestamp);
      return {
        serverTimestamp,
        repeated: false,
        destinations: [...given.values()].map((envelope) => deviceKeyOf(envelope.accountId, envelope.deviceId)),
      };
    });
  }

  return {
    /**
     * Stores a send or refuses it whole. Idempotent by (sending device, idempotency key): a
     * repeat answers with the first result and stores nothing. Never throws: every failure is
     * an outcome the sender can act on.
     */
    async send(sender: AuthenticatedDevice, frame: SendFrame): Promise<SendResult> {
      try {
        const stored = await store(sender, frame);
        logger.debug('send_stored', {
          accountId: sender.accountId,
          deviceId: sender.deviceId,
          envelopes: frame.envelopes.length,
          repeated: stored.repeated,
        });
        return { outcome: { ok: true, serverTimestamp: stored.serverTimestamp }, destinations: stored.destinations };
      } catch (error) {
        if (isUniqueViolation(error)) {
          // A concurrent send with the same idempotency key committed first: answer as it did.
          const earlier = await storage.sends.find(sender.accountId, sender.deviceId, frame.idempotencyKey);
          if (earlier) return { outcome: { ok: true, serverTimestamp: earlier.serverTimestamp }, destinations: [] };
        }
        if (!(error instanceof ServiceError)) {
          logger.error('send_failed', { accountId: sender.accountId, deviceId: sender.deviceId, error: describeError(error) });
        }
        return { outcome: { ok: false, error: toWireError(error) }, destinations: [] };
      }
    },

    /** Wakes the sessions of devices that have new mail. */
    wake(destinations: readonly string[]): void {
      for (const destination of destinations) bus.publish(destination, { kind: 'mail' });
    },

    /** Deletes acked envelopes from the acking device's own queue. Idempotent. */
    ack(device: AuthenticatedDevice, envelopeIds: readonly string[]): Promise<number> {
      return storage.envelopes.deleteAcked(device.accountId, device.deviceId, envelopeIds);
    },

    pending(device: AuthenticatedDevice, afterSeq: number, limit: number): Promise<QueuedEnvelope[]> {
      return storage.envelopes.listAfter(device.accountId, device.deviceId, afterSeq, limit);
    },

    lastSeq(device: AuthenticatedDevice): Promise<number> {
      return storage.envelopes.lastSeq(device.accountId, device.deviceId);
    },
  };
}
