import type { Clock, Logger } from '../../../src-shared/domain/runtime';
import type { Storage } from '../../storage/storage';
import { DEFAULT_SENDS_RETENTION_MS, sendsNotBefore } from '../deliveryBatch';
import { describeError } from '../serviceError';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Rows deleted per statement: keeps each write short so sends are not held up behind it. */
const BATCH = 5_000;

export type RetentionJob = {
  /** Runs now (or joins the run in progress); resolves to the envelopes removed. */
  run(): Promise<number>;
  start(): void;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
};

/**
 * Deletes envelopes nobody acked within the retention period (C6, C7), expired provisioning
 * addresses and link tokens, and idempotency records
 * past their window (`sendsRetentionMs`, a day by default): they say which device sent when,
 * and past the window they no longer answer repeats anyway. Each batch of envelopes goes in a
 * transaction of its own, with its devices' queued-bytes counters.
 */
export function createRetentionJob(options: {
  storage: Storage;
  clock: Clock;
  logger: Logger;
  retentionMs: number;
  /** Give it the delivery service's `sendsRetentionMs`; default DEFAULT_SENDS_RETENTION_MS. */
  sendsRetentionMs?: number;
  /** How long archive items are kept (C7); 0 keeps them until deleted. Default: `retentionMs`. */
  archiveRetentionMs?: number;
  intervalMs: number;
}): RetentionJob {
  const { storage, clock, logger, retentionMs, intervalMs } = options;
  const sendsRetentionMs = options.sendsRetentionMs ?? DEFAULT_SENDS_RETENTION_MS;
  const archiveRetentionMs = options.archiveRetentionMs ?? retentionMs;
  let running: Promise<number> | undefined;
  let timer: NodeJS.Timeout | undefined;

  async function deleteAll(deleteBatch: (cutoff: number, limit: number) => Promise<number>, cutoff: number) {
    let total = 0;
    for (;;) {
      const deleted = await deleteBatch(cutoff, BATCH);
      total += deleted;
      if (deleted < BATCH) return total;
    }
  }

  async function runOnce(): Promise<number> {
    const now = clock.now();
    const envelopes = await deleteAll(
      (cutoff, limit) => storage.transaction((repositories) => repositories.envelopes.deleteStoredBefore(cutoff, limit)),
      now - retentionMs,
    );
    const sends = await deleteAll(storage.sends.deleteStoredBefore, sendsNotBefore(now, sendsRetentionMs));
    // Link codes and tokens live minutes; whatever expired goes with each run.
    const links = await storage.linking.deleteExpired(now);
    // The archive keeps days only: an item goes once its whole day is past the retention period (0 keeps all).
    const archived =
      archiveRetentionMs > 0 ? await deleteAll(storage.archive.deleteStoredBefore, Math.floor((now - archiveRetentionMs) / DAY_MS)) : 0;
    logger.info('retention_ran', { envelopesRemoved: envelopes, sendsRemoved: sends, linksRemoved: links, archiveItemsRemoved: archived });
    return envelopes;
  }

  const job: RetentionJob = {
    run() {
      running ??= runOnce().finally(() => {
        running = undefined;
      });
      return running;
    },
    start() {
      if (timer) return;
      timer = setInterval(() => {
        job.run().catch((error: unknown) => logger.error('retention_failed', { error: describeError(error) }));
      }, intervalMs);
      // The job never keeps the process alive on its own.
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running?.catch(() => undefined);
    },
  };
  return job;
}
