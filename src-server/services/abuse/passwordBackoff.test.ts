import { describe, expect, it } from 'vitest';
import { DEFAULT_ABUSE_LIMITS } from '../../abuseLimits';
import { ServiceError } from '../serviceError';
import { PasswordBackoff } from './passwordBackoff';

/** A clock the test moves by hand. */
function manualClock(time: number) {
  return { now: () => time, advance: (ms: number) => void (time += ms) };
}

const limits = { passwordFailuresBeforeBackoff: 3, passwordBackoffBaseMs: 1_000, passwordBackoffMaxMs: 8_000 };

function refusal(attempt: () => void): ServiceError | undefined {
  try {
    attempt();
    return undefined;
  } catch (error) {
    if (error instanceof ServiceError) return error;
    throw error;
  }
}

describe('PasswordBackoff', () => {
  it('admits the first failures, then blocks for a doubling, capped time', () => {
    const clock = manualClock(0);
    const backoff = new PasswordBackoff({ clock, limits });
    for (let attempt = 0; attempt < 3; attempt++) expect(refusal(() => backoff.admit('alice'))).toBeUndefined();

    const waits: number[] = [];
    for (let round = 0; round < 6; round++) {
      const refused = refusal(() => backoff.admit('alice'));
      expect(refused?.code).toBe('rate_limited');
      const seconds = refused!.details.retryAfterSeconds!;
      waits.push(seconds);
      clock.advance(seconds * 1_000);
      expect(refusal(() => backoff.admit('alice'))).toBeUndefined();
    }
    expect(waits).toEqual([1, 2, 4, 8, 8, 8]);
  });

  it('refuses every attempt while blocked without charging it, and a success clears the key', () => {
    const clock = manualClock(0);
    const backoff = new PasswordBackoff({ clock, limits });
    for (let attempt = 0; attempt < 3; attempt++) backoff.admit('alice');
    for (let attempt = 0; attempt < 20; attempt++) expect(refusal(() => backoff.admit('alice'))?.details.retryAfterSeconds).toBe(1);
    clock.advance(1_000);
    backoff.admit('alice');
    backoff.succeeded('alice');
    expect(backoff.size).toBe(0);
    for (let attempt = 0; attempt < 3; attempt++) expect(refusal(() => backoff.admit('alice'))).toBeUndefined();
  });

  it('keeps keys apart', () => {
    const clock = manualClock(0);
    const backoff = new PasswordBackoff({ clock, limits });
    for (let attempt = 0; attempt < 3; attempt++) backoff.admit('alice');
    expect(refusal(() => backoff.admit('alice'))).toBeDefined();
    expect(refusal(() => backoff.admit('bob'))).toBeUndefined();
  });

  it('forgets a key the cap after its block ends, and holds at most maxKeys', () => {
    const clock = manualClock(0);
    const backoff = new PasswordBackoff({ clock, limits, maxKeys: 50 });
    for (let key = 0; key < 100; key++) backoff.admit(`user${key}`);
    expect(backoff.size).toBe(50);
    clock.advance(DEFAULT_ABUSE_LIMITS.passwordBackoffMaxMs + 60_000);
    backoff.admit('fresh');
    expect(backoff.size).toBe(1);
  });
});
