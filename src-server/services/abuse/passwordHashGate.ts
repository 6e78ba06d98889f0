import type { AbuseLimits } from '../../abuseLimits';
import { PrioritySemaphore } from './prioritySemaphore';
import { rateLimited } from './rateLimited';

/** What a refused registration is told to wait: the line moves by a hash in well under a second. */
const BUSY_RETRY_MS = 1_000;

/**
 * Bounds Argon2id work: at most `passwordHashConcurrency` hashes or verifies at once. Sign-ins go
 * before registrations, so however many registrations wait, a sign-in waits for at most the hashes
 * already running and the sign-ins ahead of it. At most `passwordHashQueueMax` registrations wait;
 * one more is refused at once with `rate_limited`. One gate per process, shared by whoever hashes.
 */
export class PasswordHashGate {
  readonly semaphore: PrioritySemaphore;

  constructor(private readonly limits: Pick<AbuseLimits, 'passwordHashConcurrency' | 'passwordHashQueueMax'>) {
    this.semaphore = new PrioritySemaphore(limits.passwordHashConcurrency);
  }

  /**
   * Runs a sign-in's password check ahead of every waiting registration. Sign-ins waiting are
   * bounded too (four times the registrations' line): past that the server is refusing a flood,
   * and the real sign-in is told to retry in a second rather than wait behind it.
   */
  signIn<T>(work: () => Promise<T>): Promise<T> {
    const mustWait = this.semaphore.active >= this.limits.passwordHashConcurrency;
    if (mustWait && this.semaphore.waiting('high') >= this.limits.passwordHashQueueMax * 4) {
      return Promise.reject(rateLimited('the server is busy; try again shortly', BUSY_RETRY_MS));
    }
    return this.semaphore.run('high', work);
  }

  /** Runs a registration's hash, or throws `rate_limited` when the registrations' line is full. */
  registration<T>(work: () => Promise<T>): Promise<T> {
    const mustWait = this.semaphore.active >= this.limits.passwordHashConcurrency;
    if (mustWait && this.semaphore.waiting('low') >= this.limits.passwordHashQueueMax) {
      return Promise.reject(rateLimited('the server is busy; try registering again shortly', BUSY_RETRY_MS));
    }
    return this.semaphore.run('low', work);
  }
}
