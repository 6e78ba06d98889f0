import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  it('grows exponentially up to the cap, scaled by jitter', () => {
    const options = { initialMs: 100, maxMs: 1_000, random: () => 1 }; // the ceiling itself
    expect([0, 1, 2, 3, 4, 10].map((attempt) => backoffDelay(attempt, options))).toEqual([
      100, 200, 400, 800, 1_000, 1_000,
    ]);
  });

  it('spreads clients over the whole window', () => {
    expect(backoffDelay(3, { initialMs: 100, maxMs: 10_000, random: () => 0 })).toBe(0);
    expect(backoffDelay(3, { initialMs: 100, maxMs: 10_000, random: () => 0.5 })).toBe(400);
  });
});
