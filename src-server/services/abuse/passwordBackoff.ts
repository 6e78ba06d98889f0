import type { Clock } from '../../../src-shared/domain/runtime';
import type { AbuseLimits } from '../../abuseLimits';
import { rateLimited } from './rateLimited';

export type PasswordBackoffOptions = {
  clock: Clock;
  limits: Pick<AbuseLimits, 'passwordFailuresBeforeBackoff' | 'passwordBackoffBaseMs' | 'passwordBackoffMaxMs'>;
  /** Keys counted at once; past it the key that failed longest ago is forgotten. Default 100,000. */
  maxKeys?: number;
};

type Failures = { count: number; blockedUntil: number; forgetAt: number };

/** Whole-server sweeps of forgotten keys happen at most this often. */
const SWEEP_INTERVAL_MS = 60_000;
/** 2^30 × the base is past any sensible cap; larger exponents would only overflow. */
const MAX_DOUBLINGS = 30;

/**
 * Exponential back-off on password guesses, per key (the normalised username, whether or not the
 * account exists, so a refusal never reveals existence). An attempt is charged as a failure when
 * it is admitted, before its hash is checked, so concurrent guesses cannot slip past the count;
 * `succeeded` clears the key. After `passwordFailuresBeforeBackoff` charged attempts, each further
 * one blocks the key for `passwordBackoffBaseMs`, doubling, at most `passwordBackoffMaxMs`; while
 * blocked, every attempt — the right password too — is refused at once, uncharged.
 *
 * In memory only: a key is forgotten `passwordBackoffMaxMs` after its block ends (or after its
 * last failure, if it was never blocked). Hand-written for the same reason as FixedWindowCounter
 * (no clock-driven memory limiter in a library), and because the charge-first, clear-on-success
 * rule is specific to this use.
 */
export class PasswordBackoff {
  private readonly failures = new Map<string, Failures>();
  private readonly maxKeys: number;
  private nextSweepAt: number;

  constructor(private readonly options: PasswordBackoffOptions) {
    this.maxKeys = options.maxKeys ?? 100_000;
    this.nextSweepAt = options.clock.now() + SWEEP_INTERVAL_MS;
  }

  /** Admits one attempt for `key`, charged as a failure until `succeeded`; throws `rate_limited` while the key is blocked. */
  admit(key: string): void {
    const { passwordFailuresBeforeBackoff, passwordBackoffBaseMs, passwordBackoffMaxMs } = this.options.limits;
    const now = this.options.clock.now();
    this.sweep(now);
    const known = this.failures.get(key);
    const current = known && known.forgetAt > now ? known : undefined;
    if (current && current.blockedUntil > now) {
      throw rateLimited('too many wrong passwords; try again later', current.blockedUntil - now);
    }
    const count = (current?.count ?? 0) + 1;
    const doublings = Math.min(count - passwordFailuresBeforeBackoff, MAX_DOUBLINGS);
    const blockedUntil = doublings >= 0 ? now + Math.min(passwordBackoffBaseMs * 2 ** doublings, passwordBackoffMaxMs) : now;
    // Re-inserted, so the oldest failure is first when the key limit evicts.
    this.failures.delete(key);
    this.failures.set(key, { count, blockedUntil, forgetAt: blockedUntil + passwordBackoffMaxMs });
    if (this.failures.size > this.maxKeys) {
      const oldest = this.failures.keys().next();
      if (!oldest.done) this.failures.delete(oldest.value);
    }
  }

  /** The attempt had the right password: the key's failures are forgotten. */
  succeeded(key: string): void {
    this.failures.delete(key);
  }

  /** Keys counted now (for tests and metrics). */
  get size(): number {
    return this.failures.size;
  }

  private sweep(now: number) {
    if (now < this.nextSweepAt) return;
    this.nextSweepAt = now + SWEEP_INTERVAL_MS;
    for (const [key, failures] of this.failures) {
      if (failures.forgetAt <= now) this.failures.delete(key);
    }
  }
}
