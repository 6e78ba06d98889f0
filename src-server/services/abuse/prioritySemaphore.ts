/** Lanes in the order they are served: every waiting `high` task starts before any waiting `low` one. */
export type SemaphoreLane = 'high' | 'low';

type Waiter = { start: () => void };

/**
 * Runs at most `concurrency` tasks at once; the rest wait in one FIFO line per lane, and a freed
 * slot goes to the oldest `high` waiter, else the oldest `low` one. So a `high` task waits for at
 * most the tasks already running plus the `high` tasks ahead of it, however long the `low` line.
 * A `low` line can starve while `high` work keeps arriving — that is the point (sign-ins over
 * registrations), and `high` work is bounded elsewhere (per-account back-off, connection limits).
 *
 * Hand-written: p-queue has priorities but counts no per-lane line length, and adding a dependency
 * for some forty lines did not pay; p-limit has no priorities.
 */
export class PrioritySemaphore {
  private running = 0;
  private readonly lines: Record<SemaphoreLane, Waiter[]> = { high: [], low: [] };
  /** Tasks started so far, in all (tests and metrics read it). */
  started = 0;

  constructor(private readonly concurrency: number) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError('concurrency must be a positive integer');
  }

  /** Tasks waiting in `lane`. */
  waiting(lane: SemaphoreLane): number {
    return this.lines[lane].length;
  }

  /** Tasks running now. */
  get active(): number {
    return this.running;
  }

  /** Runs `task` when a slot is free for `lane`; settles as the task does. */
  async run<T>(lane: SemaphoreLane, task: () => Promise<T>): Promise<T> {
    // Slots are handed from task to task (release), so someone waits only when all are taken.
    if (this.running >= this.concurrency) {
      await new Promise<void>((start) => this.lines[lane].push({ start }));
    } else {
      this.running++;
    }
    this.started++;
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  /** Hands the slot straight to the next waiter, so no newcomer can take it in between. */
  private release() {
    const next = this.lines.high.shift() ?? this.lines.low.shift();
    if (next) next.start();
    else this.running--;
  }
}
