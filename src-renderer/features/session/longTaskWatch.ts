/**
 * The page's long tasks (over 50 ms on the main thread: what makes a page feel stuck), as the
 * Long Tasks API reports them. The inbox pump sizes its store transactions by them: a task is the
 * thing to keep short, and a transaction's wall time is not one (most of it is IndexedDB working
 * in another process, and on a busy machine every wait grows while the page's own work does not).
 */
export type LongTaskWatch = {
  /** The longest task that ended after `since` (performance.now() milliseconds); 0 if none. */
  longestSince(since: number): number;
  stop(): void;
};

/** Tasks remembered: a transaction spans a few at most. */
const KEPT = 64;

/** Undefined where the Long Tasks API is missing (jsdom, other engines): the caller falls back to wall time. */
export function createLongTaskWatch(): LongTaskWatch | undefined {
  if (typeof PerformanceObserver === 'undefined' || !PerformanceObserver.supportedEntryTypes?.includes('longtask')) return undefined;
  const ended: Array<{ end: number; duration: number }> = [];
  const note = (entries: PerformanceEntryList) => {
    for (const entry of entries) ended.push({ end: entry.startTime + entry.duration, duration: entry.duration });
    if (ended.length > KEPT) ended.splice(0, ended.length - KEPT);
  };
  const observer = new PerformanceObserver((list) => note(list.getEntries()));
  observer.observe({ type: 'longtask' });
  return {
    longestSince(since) {
      // Entries of tasks that just ended may not have been delivered yet.
      note(observer.takeRecords());
      let longest = 0;
      for (const task of ended) if (task.end > since) longest = Math.max(longest, task.duration);
      return longest;
    },
    stop() {
      observer.disconnect();
    },
  };
}
