/**
 * Applies the latest of a fast-changing value at most once per `intervalMs`: the first change at
 * once, later ones at the end of the interval, and the last one always (trailing edge). For
 * writes that cost more than the value changes are worth, such as the window title during a
 * catch-up.
 */
export type LatestAtMostEvery<T> = {
  set(value: T): void;
  /** Drops a pending write (the owner is going away). */
  dispose(): void;
};

export function latestAtMostEvery<T>(intervalMs: number, apply: (value: T) => void, now: () => number = () => performance.now()): LatestAtMostEvery<T> {
  let lastAppliedAt = Number.NEGATIVE_INFINITY;
  let pending: { value: T } | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    timer = undefined;
    if (!pending) return;
    const { value } = pending;
    pending = undefined;
    lastAppliedAt = now();
    apply(value);
  };
  return {
    set(value) {
      pending = { value };
      if (timer !== undefined) return;
      const wait = lastAppliedAt + intervalMs - now();
      if (wait <= 0) flush();
      else timer = setTimeout(flush, wait);
    },
    dispose() {
      pending = undefined;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
