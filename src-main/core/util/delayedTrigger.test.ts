import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DelayedTrigger } from './delayedTrigger';

describe('DelayedTrigger', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs once, the delay after the first request, however many come meanwhile', () => {
    let runs = 0;
    const trigger = new DelayedTrigger(500, () => (runs += 1));
    trigger.request();
    vi.advanceTimersByTime(300);
    trigger.request();
    trigger.request();
    expect(runs).toBe(0);
    vi.advanceTimersByTime(200);
    expect(runs).toBe(1);
    vi.advanceTimersByTime(1_000);
    expect(runs).toBe(1);
    trigger.request();
    expect(trigger.pending).toBe(true);
    vi.advanceTimersByTime(500);
    expect(runs).toBe(2);
  });

  it('runs nothing once cancelled', () => {
    let runs = 0;
    const trigger = new DelayedTrigger(500, () => (runs += 1));
    trigger.request();
    trigger.cancel();
    vi.advanceTimersByTime(1_000);
    expect(runs).toBe(0);
    expect(trigger.pending).toBe(false);
  });
});
