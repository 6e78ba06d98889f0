import { describe, expect, it } from 'vitest';
import { FixedWindowCounter } from './fixedWindowCounter';

/** A clock the test moves by hand. */
function manualClock(time: number) {
  return { now: () => time, advance: (ms: number) => void (time += ms) };
}

describe('FixedWindowCounter', () => {
  it('allows `limit` events per key per window and says how long until the window ends', () => {
    const clock = manualClock(0);
    const counter = new FixedWindowCounter({ clock, limit: 3, windowMs: 60_000 });
    expect([counter.hit('a'), counter.hit('a'), counter.hit('a')]).toEqual([undefined, undefined, undefined]);
    clock.advance(10_000);
    expect(counter.hit('a')).toBe(50_000);
    expect(counter.hit('b')).toBeUndefined();
    clock.advance(50_000);
    expect(counter.hit('a')).toBeUndefined();
  });

  it('does not count refused events', () => {
    const clock = manualClock(0);
    const counter = new FixedWindowCounter({ clock, limit: 1, windowMs: 1_000 });
    counter.hit('a');
    for (let refused = 0; refused < 10; refused++) expect(counter.hit('a')).toBe(1_000);
    clock.advance(1_000);
    expect(counter.hit('a')).toBeUndefined();
  });

  it('forgets keys whose window ended, so memory follows the active keys', () => {
    const clock = manualClock(0);
    const counter = new FixedWindowCounter({ clock, limit: 5, windowMs: 1_000 });
    for (let key = 0; key < 1_000; key++) counter.hit(`key-${key}`);
    expect(counter.size).toBe(1_000);
    clock.advance(1_000);
    counter.hit('fresh');
    expect(counter.size).toBe(1);
  });

  it('never holds more than maxKeys, forgetting the longest-counted first', () => {
    const clock = manualClock(0);
    const counter = new FixedWindowCounter({ clock, limit: 1, windowMs: 60_000, maxKeys: 3 });
    for (const key of ['a', 'b', 'c', 'd']) counter.hit(key);
    expect(counter.size).toBe(3);
    expect(counter.hit('a')).toBeUndefined();
    expect(counter.hit('d')).toBe(60_000);
  });
});
