import type { Clock } from '../../../src-shared/domain/runtime';

export type FixedWindowOptions = {
  clock: Clock;
  /** Events one key may have in one window. */
  limit: number;
  windowMs: number;
  /** Keys counted at once; past it the longest-counted key is forgotten. Default 100,000. */
  maxKeys?: number;
};

type Window = { endsAt: number; count: number };

/**
 * Counts events per key in fixed windows that start at a key's first event, in memory only. A key
 * lives only while its window is open: expired windows are swept at most once per window length,
 * so memory follows the keys active in the last two windows, and never passes `maxKeys`.
 *
 * Hand-written because rate-limiter-flexible's memory limiter (the library that would fit) reads
 * `Date.now()` and expires each key with its own timer, so an injected Clock cannot drive it and
 * tests could not be deterministic.
 */
export class FixedWindowCounter {
  private readonly windows = new Map<string, Window>();
  private readonly maxKeys: number;
  private nextSweepAt: number;

  constructor(private readonly options: FixedWindowOptions) {
    this.maxKeys = options.maxKeys ?? 100_000;
    this.nextSweepAt = options.clock.now() + options.windowMs;
  }

  /**
   * Counts one event for `key` and returns undefined, or, when the key has had `limit` events in
   * its window already, counts nothing and returns the milliseconds until the window ends.
   */
  hit(key: string): number | undefined {
    const now = this.options.clock.now();
    this.sweep(now);
    const open = this.windows.get(key);
    if (open && open.endsAt > now) {
      if (open.count >= this.options.limit) return open.endsAt - now;
      open.count++;
      return undefined;
    }
    if (this.options.limit < 1) return this.options.windowMs;
    // Re-inserted, so the map stays in order of window start and the sweep can stop early.
    this.windows.delete(key);
    this.windows.set(key, { endsAt: now + this.options.windowMs, count: 1 });
    if (this.windows.size > this.maxKeys) {
      const oldest = this.windows.keys().next();
      if (!oldest.done) this.windows.delete(oldest.value);
    }
    return undefined;
  }

  /** Keys counted now (for tests and metrics). */
  get size(): number {
    return this.windows.size;
  }

  private sweep(now: number) {
    if (now < this.nextSweepAt) return;
    this.nextSweepAt = now + this.options.windowMs;
    for (const [key, window] of this.windows) {
      if (window.endsAt > now) break;
      this.windows.delete(key);
    }
  }
}
