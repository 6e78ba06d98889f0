/**
 * Where a message's time goes, for benchmarks (`npm run bench:relay`): the core reports each
 * message id as it passes a stage, with the probe's own clock. Nothing is recorded without a probe;
 * the probe must be cheap and must not throw.
 *
 * - `prepared`: its ciphertexts and the sessions they advanced are on disk (sender).
 * - `arrived`: the envelope carrying it reached this device's receiver (recipient; reported after
 *   the decrypt, which is when its message id is known, with the time it arrived).
 * - `decrypted`: its batch is decrypted and committed, not yet on disk (recipient).
 * - `durable`: its batch is on disk and acked, and the inbox announced (recipient).
 */
export type MessageStage = 'prepared' | 'arrived' | 'decrypted' | 'durable';

export type MessageProbe = {
  now(): number;
  record(stage: MessageStage, messageIds: readonly string[], at: number): void;
};
