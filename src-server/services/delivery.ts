import type { Clock, Logger } from '../../src-shared/domain/runtime';
import type { WireError } from '../../src-shared/protocol/errors';
import type { SendFrame } from '../../src-shared/protocol/frames';
import type { Bus } from '../bus/bus';
import { isUniqueViolation } from '../storage/database';
import type { QueuedEnvelope } from '../storage/envelopesRepository';
import type { Storage } from '../storage/storage';
import { commitDeliveryBatch, type DeliveryWork, type DeliveryWorkResult } from './deliveryBatch';
import type { AuthenticatedDevice } from './deviceAuth';
import { GroupCommitter, type BatchLimits } from './groupCommit';
import { envelopesByDevice } from './sendCoverage';
import { describeError, ServiceError, toWireError } from './serviceError';

export type SendOutcome = { ok: true; serverTimestamp: number } | { ok: false; error: WireError };

/** A send's answer, and the devices to wake once the sender has it. */
export type SendResult = { outcome: SendOutcome; destinations: string[] };

/**
 * Frames per transaction, and their ciphertext bytes: enough to share one fsync among every
 * socket's frames that arrive during a commit, small enough to keep a transaction short.
 */
const BATCH_LIMITS: BatchLimits = { items: 256, weight: 16 * 1024 * 1024 };

const weightOf = (work: DeliveryWork) =>
  work.kind === 'ack' ? work.envelopeIds.length * 32 : work.frame.envelopes.reduce((sum, envelope) => sum + envelope.body.length, 0);

export type DeliveryService = ReturnType<typeof createDeliveryService>;

export function createDeliveryService(options: { storage: Storage; bus: Bus; clock: Clock; logger: Logger }) {
  const { storage, bus, clock, logger } = options;

  /** One transaction for the batch; if it fails, each item alone, so only a failing item fails. */
  async function commit(work: DeliveryWork[]): Promise<Array<PromiseSettledResult<DeliveryWorkResult>>> {
    const alone = (item: DeliveryWork) => storage.transaction((repositories) => commitDeliveryBatch(repositories, clock, [item]));
    if (work.length > 1) {
      try {
        const results = await storage.transaction((repositories) => commitDeliveryBatch(repositories, clock, work));
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
  };
}
