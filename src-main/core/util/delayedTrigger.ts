/**
 * Runs `action` once, `delayMs` after the first request since it last ran: requests meanwhile
 * join that run (the delay is not pushed back by them, so it bounds the wait). For work that is
 * cheaper done once for many requests, such as sending the delivery receipts of many arrivals in
 * one message. The timer does not keep the process alive; `cancel` drops a pending run.
 */
export class DelayedTrigger {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly delayMs: number,
    private readonly action: () => void,
  ) {}

  request() {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.action();
    }, this.delayMs);
    this.timer.unref?.();
  }

  get pending(): boolean {
    return this.timer !== undefined;
  }

  cancel() {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
