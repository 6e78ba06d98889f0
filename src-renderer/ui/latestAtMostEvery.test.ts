import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { latestAtMostEvery } from './latestAtMostEvery';

describe('latestAtMostEvery', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('applies the first value at once, then the latest once per interval, and always the last', () => {
    const applied: number[] = [];
    const writer = latestAtMostEvery(500, (value: number) => applied.push(value), () => Date.now());
    writer.set(1);
    expect(applied).toEqual([1]);
    for (let value = 2; value <= 9; value += 1) {
      vi.advanceTimersByTime(100);
      writer.set(value);
    }
    // 800 ms of changes: one write at 500 ms (the latest then), the last at 1,000 ms.
    expect(applied).toEqual([1, 5]);
    vi.advanceTimersByTime(500);
    expect(applied).toEqual([1, 5, 9]);
    vi.advanceTimersByTime(5_000);
    expect(applied).toEqual([1, 5, 9]);
  });

  it('applies at once again after a quiet interval', () => {
    const applied: string[] = [];
    const writer = latestAtMostEvery(500, (value: string) => applied.push(value), () => Date.now());
    writer.set('a');
    vi.advanceTimersByTime(600);
    writer.set('b');
    expect(applied).toEqual(['a', 'b']);
  });

  it('drops what is pending when disposed', () => {
    const applied: number[] = [];
    const writer = latestAtMostEvery(500, (value: number) => applied.push(value), () => Date.now());
    writer.set(1);
    writer.set(2);
    writer.dispose();
    vi.advanceTimersByTime(1_000);
    expect(applied).toEqual([1]);
  });
});
