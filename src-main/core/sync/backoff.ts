/**
 * Exponential back-off with full jitter: attempt n waits a random time in [0, min(max, base·2ⁿ)],
 * so a thousand clients that lost the same server do not return in step.
 */
export type BackoffOptions = { initialMs: number; maxMs: number; random: () => number };

export const DEFAULT_BACKOFF = { initialMs: 250, maxMs: 30_000 } as const;

export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const ceiling = Math.min(options.maxMs, options.initialMs * 2 ** Math.min(attempt, 30));
  return Math.floor(options.random() * ceiling);
}
