import type { Clock, Logger } from '../../../src-shared/domain/runtime';
import type { Storage } from '../../storage/storage';
import { describeError } from '../serviceError';

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
 * Deletes envelopes nobody acked within the retention period (C6, C7), and idempotency records
 * of the same age: a repeat that late could no longer find its envelopes anyway.
 */
export function createRetentionJob(options: {
  storage: Storage;
  clock: Clock;
  logger: Logger;
  retentionMs: number;
  intervalMs: number;
}): RetentionJob {
  const { storage, clock, logger, retentionMs, intervalMs } = options;
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
    const cutoff = clock.now() - retentionMs;
    const envelopes = await deleteAll(storage.envelopes.deleteStoredBefore, cutoff);
    const sends = await deleteAll(storage.sends.deleteStoredBefore, cutoff);
    logger.info('retention_ran', { envelopesRemoved: envelopes, sendsRemoved: sends });
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
