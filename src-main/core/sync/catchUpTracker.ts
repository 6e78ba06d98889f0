import type { Clock } from '../../../src-shared/domain/runtime';
import type { CatchUpProgress } from '../../../src-shared/ipc/messaging';
import { Emitter } from '../util/emitter';

/** At most this often while a catch-up runs: a few updates a second are enough for a person. */
export const CATCH_UP_UPDATE_MS = 250;

export type CatchUpTrackerOptions = {
  clock: Clock;
  /** Shortest time between two reports while a catch-up runs (CATCH_UP_UPDATE_MS by default). */
  intervalMs?: number;
};

/**
 * Counts one catch-up: from a connect's `ready` (which says how many envelopes wait) to the end of
 * the queue it drains. Reports are throttled: the first at once, then at most one per interval
 * (the latest count; one that came too soon is sent when the interval ends), and the end at once.
 */
export class CatchUpTracker {
  readonly onProgress = new Emitter<CatchUpProgress>();
  private progress: CatchUpProgress = { received: 0, total: 0, done: true };
  private lastReportAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;
  private readonly intervalMs: number;
  private round = 0;

  constructor(private readonly options: CatchUpTrackerOptions) {
    this.intervalMs = options.intervalMs ?? CATCH_UP_UPDATE_MS;
  }

  get current(): CatchUpProgress {
    return { ...this.progress };
  }

  /**
   * A connect is ready with `total` envelopes waiting (0 when the server does not say). Returns
   * this catch-up's round, for `finished`.
   */
  started(total: number): number {
    const wasRunning = !this.progress.done;
    this.round += 1;
    this.progress = { received: 0, total, done: total === 0 };
    // Nothing to catch up, and nothing shown before: stay quiet.
    if (total !== 0 || wasRunning) this.reportNow();
    return this.round;
  }

  /** The round of the latest catch-up started. */
  get currentRound(): number {
    return this.round;
  }

  /** `count` more envelopes are committed. */
  processed(count: number) {
    if (this.progress.done || count <= 0) return;
    // Envelopes that arrived after the connect (new mail, typing) are not in the total.
    this.progress = { ...this.progress, received: Math.min(this.progress.total, this.progress.received + count) };
    const wait = this.lastReportAt + this.intervalMs - this.options.clock.now();
    if (wait <= 0) return this.reportNow();
    this.timer ??= setTimeout(() => this.reportNow(), wait);
  }

  /**
   * This catch-up is over: the queue is drained and all of it committed (`complete`), or the
   * connection dropped (what is left comes with the next connect's catch-up).
   */
  finished(complete: boolean, round = this.round) {
    // A drain noticed after a reconnect belongs to the connection before: the new round goes on.
    if (this.progress.done || round !== this.round) return;
    this.progress = { ...this.progress, received: complete ? this.progress.total : this.progress.received, done: true };
    this.reportNow();
  }

  /** Stops a pending report (the core is stopping). */
  stop() {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private reportNow() {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.lastReportAt = this.options.clock.now();
    this.onProgress.emit(this.current);
  }
}
