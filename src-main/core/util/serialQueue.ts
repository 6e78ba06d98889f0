/**
 * Runs async jobs one at a time, in the order they were queued. Every use of libsignal sessions
 * goes through one queue, so a decrypt batch and an encrypt never stage the same session twice.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  /** Jobs queued or running. */
  private waiting = 0;

  run<T>(job: () => Promise<T>): Promise<T> {
    this.waiting += 1;
    const settled = () => (this.waiting -= 1);
    const result = this.tail.then(job, job).finally(settled);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** No job is queued or running: one queued now starts at once. */
  get idle(): boolean {
    return this.waiting === 0;
  }
}
