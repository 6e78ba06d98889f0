import type { Clock, Logger } from '../../src-shared/domain/runtime';
import type { WireError } from '../../src-shared/protocol/errors';
import type { Envelope, SendFrame } from '../../src-shared/protocol/frames';
import { DEFAULT_ABUSE_LIMITS, type AbuseLimits } from '../abuseLimits';
import { deviceKeyOf, type Bus } from '../bus/bus';
import { isUniqueViolation } from '../storage/database';
import type { QueuedEnvelope } from '../storage/envelopesRepository';
import type { Storage } from '../storage/storage';
import {
  commitDeliveryBatch,
  DEFAULT_SENDS_RETENTION_MS,
  newEnvelopeIds,
  sendsNotBefore,
  type DeliveryPolicy,
  type DeliveryWork,
  type DeliveryWorkResult,
} from './deliveryBatch';
import type { AuthenticatedDevice } from './deviceAuth';
import { GroupCommitter, type BatchLimits } from './groupCommit';
import { checkOnlineOnlyTargets, envelopesByDevice } from './sendCoverage';
import { describeError, ServiceError, toWireError } from './serviceError';

export type SendOutcome = { ok: true; serverTimestamp: number } | { ok: false; error: WireError };

/** An online-only envelope and the device (`deviceKeyOf`) whose open socket should push it. */
export type OnlineOnlyPush = { deviceKey: string; envelope: Envelope };

/**
 * A send's answer, and what to do once the sender has it: the devices to wake (a stored send),
 * or the envelopes to push to connected devices (an online-only send).
 */
export type SendResult = { outcome: SendOutcome; destinations: string[]; pushes: OnlineOnlyPush[] };

/**
 * Frames per transaction, and their ciphertext bytes: enough to share one fsync among every
 * socket's frames that arrive during a commit, small enough to keep a transaction short.
 */
const BATCH_LIMITS: BatchLimits = { items: 256, weight: 16 * 1024 * 1024 };

const weightOf = (work: DeliveryWork) =>
  work.kind === 'ack' ? work.envelopeIds.length * 32 : work.frame.envelopes.reduce((sum, envelope) => sum + envelope.body.length, 0);

export type DeliveryService = ReturnType<typeof createDeliveryService>;

export function createDeliveryService(options: {
  storage: Storage;
  bus: Bus;
  clock: Clock;
  logger: Logger;
  /** `queuedBytesPerDevice` caps each recipient device's stored queue; default DEFAULT_ABUSE_LIMITS. */
  limits?: Pick<AbuseLimits, 'queuedBytesPerDevice'>;
  /** How long a send's key answers repeats; default DEFAULT_SENDS_RETENTION_MS. Give the retention job the same. */
  sendsRetentionMs?: number;
}) {
  const { storage, bus, clock, logger } = options;
  const policy: DeliveryPolicy = {
    sendsRetentionMs: options.sendsRetentionMs ?? DEFAULT_SENDS_RETENTION_MS,
    limits: { queuedBytesPerDevice: (options.limits ?? DEFAULT_ABUSE_LIMITS).queuedBytesPerDevice },
  };

  /** One transaction for the batch; if it fails, each item alone, so only a failing item fails. */
  async function commit(work: DeliveryWork[]): Promise<Array<PromiseSettledResult<DeliveryWorkResult>>> {
    const alone = (item: DeliveryWork) => storage.transaction((repositories) => commitDeliveryBatch(repositories, clock, [item], policy));
    if (work.length > 1) {
      try {
        const results = await storage.transaction((repositories) => commitDeliveryBatch(repositories, clock, work, policy));
        return results.map((value) => ({ status: 'fulfilled', value }));
      } catch (error) {
        // E.g. an idempotency key another node stored meanwhile, or a deadlock victim on PostgreSQL.
        logger.warn('delivery_batch_retried_alone', { items: work.length, error: describeError(error) });
      }
    }
    const outcomes: Array<PromiseSettledResult<DeliveryWorkResult>> = [];
    for (const item of work) {
      try {
        const [value] = await alone(item);
        outcomes.push({ status: 'fulfilled', value: value! });
      } catch (reason) {
        outcomes.push({ status: 'rejected', reason });
      }
    }
    return outcomes;
  }

  const committer = new GroupCommitter<DeliveryWork, DeliveryWorkResult>({ commit, limits: BATCH_LIMITS, weigh: weightOf });

  /** Stores a send in the next group commit; throws ServiceError on refusal. */
  async function store(sender: AuthenticatedDevice, frame: SendFrame) {
    const result = await committer.submit({ kind: 'send', sender, frame, given: envelopesByDevice(frame) });
    if (!('stored' in result)) throw new Error('a send came back as an ack');
    if (!result.stored) throw result.refusal;
    return result;
  }

  /**
   * Checks an online-only send and turns it into pushes; nothing is written. Not idempotent (a
   * repeat pushes again): there is nothing to remember it by, and a repeated typing indicator
   * is harmless.
   */
  async function relayOnlineOnly(sender: AuthenticatedDevice, frame: SendFrame): Promise<SendResult> {
    const given = envelopesByDevice(frame);
    const devices = await storage.devices.listByAccount(frame.to);
    if (devices.length === 0) throw new ServiceError('not_found', 'no such account');
    checkOnlineOnlyTargets(sender, given, devices);
    const serverTimestamp = clock.now();
    const ids = newEnvelopeIds(given.size);
    const pushes = [...given.values()].map((envelope, index) => ({
      deviceKey: deviceKeyOf(envelope.accountId, envelope.deviceId),
      envelope: {
        id: ids[index]!,
        sourceAccountId: sender.accountId,
        sourceDeviceId: sender.deviceId,
        ciphertextType: envelope.ciphertextType,
        body: envelope.body,
        serverTimestamp,
        clientTimestamp: frame.timestamp,
        onlineOnly: true as const,
      },
    }));
    return { outcome: { ok: true, serverTimestamp }, destinations: [], pushes };
  }

  return {
    /**
     * Stores a send or refuses it whole. An online-only send (`frame.onlineOnly`) is checked and
     * relayed instead, never stored (nor counted against any queue). Idempotent by (sending
     * device, idempotency key) for `sendsRetentionMs`: a repeat answers with the first result
     * and stores nothing. `quota_exceeded` when a destination device's queue would pass
     * `queuedBytesPerDevice`. Never throws: every failure is an outcome the sender can act on.
     */
    async send(sender: AuthenticatedDevice, frame: SendFrame): Promise<SendResult> {
      try {
        if (frame.onlineOnly) return await relayOnlineOnly(sender, frame);
        const stored = await store(sender, frame);
        logger.debug('send_stored', {
          accountId: sender.accountId,
          deviceId: sender.deviceId,
          envelopes: frame.envelopes.length,
          repeated: stored.repeated,
        });
        return { outcome: { ok: true, serverTimestamp: stored.serverTimestamp }, destinations: stored.destinations, pushes: [] };
      } catch (error) {
        if (isUniqueViolation(error)) {
          // A concurrent send with the same idempotency key committed first: answer as it did.
          const notBefore = sendsNotBefore(clock.now(), policy.sendsRetentionMs);
          const earlier = await storage.sends.find(sender.accountId, sender.deviceId, frame.idempotencyKey, notBefore);
          if (earlier) return { outcome: { ok: true, serverTimestamp: earlier.serverTimestamp }, destinations: [], pushes: [] };
        }
        if (!(error instanceof ServiceError)) {
          logger.error('send_failed', { accountId: sender.accountId, deviceId: sender.deviceId, error: describeError(error) });
        }
        return { outcome: { ok: false, error: toWireError(error) }, destinations: [], pushes: [] };
      }
    },

    /** Wakes the sessions of devices that have new mail. */
    wake(destinations: readonly string[]): void {
      for (const destination of destinations) bus.publish(destination, { kind: 'mail' });
    },

    /** Hands online-only envelopes to the sockets of their devices, wherever those are; dropped where there is none. */
    relay(pushes: readonly OnlineOnlyPush[]): void {
      for (const { deviceKey, envelope } of pushes) bus.publish(deviceKey, { kind: 'online_only', envelope });
    },

    /** Deletes acked envelopes from the acking device's own queue, in the next group commit. Idempotent. */
    async ack(device: AuthenticatedDevice, envelopeIds: readonly string[]): Promise<number> {
      const result = await committer.submit({ kind: 'ack', device, envelopeIds });
      if (!('deleted' in result)) throw new Error('an ack came back as a send');
      return result.deleted;
    },

    pending(device: AuthenticatedDevice, afterSeq: number, limit: number): Promise<QueuedEnvelope[]> {
      return storage.envelopes.listAfter(device.accountId, device.deviceId, afterSeq, limit);
    },

    lastSeq(device: AuthenticatedDevice): Promise<number> {
      return storage.envelopes.lastSeq(device.accountId, device.deviceId);
    },

    /** How many envelopes wait in the device's queue, and the newest one's sequence (what a connect drains to). */
    queueDepth(device: AuthenticatedDevice): Promise<{ envelopes: number; lastSeq: number }> {
      return storage.envelopes.queueDepth(device.accountId, device.deviceId);
    },
  };
}
