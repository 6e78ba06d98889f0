/**
 * Runs async jobs one at a time, in the order they were queued. Every use of libsignal sessions
 * goes through one queue, so a decrypt batch and an encrypt never stage the same session twice.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(job: () => Promise<T>): Promise<T> {
    const result = this.tail.then(job, job);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
