import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CatchUpProgress } from '../../../src-shared/ipc/messaging';
import { CatchUpTracker } from './catchUpTracker';

describe('CatchUpTracker', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const tracked = () => {
    const tracker = new CatchUpTracker({ clock: { now: () => Date.now() }, intervalMs: 250 });
    const reports: CatchUpProgress[] = [];
    tracker.onProgress.on((progress) => reports.push(progress));
    return { tracker, reports };
  };

  it('reports the start at once, then at most once per interval with the latest count, and the end at once', () => {
    const { tracker, reports } = tracked();
    tracker.started(10_000);
    expect(reports).toEqual([{ received: 0, total: 10_000, done: false }]);
    for (let batch = 0; batch < 10; batch++) tracker.processed(100);
    expect(reports).toHaveLength(1);
    vi.advanceTimersByTime(250);
    expect(reports.at(-1)).toEqual({ received: 1_000, total: 10_000, done: false });
    // 40 batches over a second: about four reports, never one per batch.
    for (let batch = 0; batch < 40; batch++) {
      tracker.processed(100);
      vi.advanceTimersByTime(25);
    }
    expect(reports.length).toBeLessThanOrEqual(2 + 4 + 1);
    expect(reports.at(-1)!.received).toBeLessThanOrEqual(5_000);
    tracker.finished(true);
    expect(reports.at(-1)).toEqual({ received: 10_000, total: 10_000, done: true });
    const count = reports.length;
    vi.advanceTimersByTime(1_000);
    tracker.processed(5);
    expect(reports).toHaveLength(count);
    expect(tracker.current).toEqual({ received: 10_000, total: 10_000, done: true });
  });

  it('never counts past the total (mail that came after the connect) and never goes back', () => {
    const { tracker, reports } = tracked();
    tracker.started(3);
    tracker.processed(2);
    vi.advanceTimersByTime(250);
    tracker.processed(5);
    vi.advanceTimersByTime(250);
    expect(reports.map((report) => report.received)).toEqual([0, 2, 3]);
  });

  it('stays quiet with nothing queued; a dropped connection ends the round where it stood', () => {
    const { tracker, reports } = tracked();
    tracker.started(0);
    expect(reports).toEqual([]);
    expect(tracker.current.done).toBe(true);
    tracker.started(500);
    tracker.processed(100);
    vi.advanceTimersByTime(250);
    tracker.finished(false);
    expect(reports.at(-1)).toEqual({ received: 100, total: 500, done: true });
  });

  it('ignores the end of an earlier round once a new one has started', () => {
    const { tracker, reports } = tracked();
    const first = tracker.started(500);
    tracker.finished(false);
    tracker.started(400);
    tracker.finished(true, first);
    expect(tracker.current).toEqual({ received: 0, total: 400, done: false });
    tracker.finished(true);
    expect(reports.at(-1)).toEqual({ received: 400, total: 400, done: true });
  });

  it('stop() cancels a report that waits for its interval', () => {
    const { tracker, reports } = tracked();
    tracker.started(100);
    tracker.processed(10);
    tracker.stop();
    vi.advanceTimersByTime(1_000);
    expect(reports).toHaveLength(1);
  });
});
