const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole UTC days since the epoch: the finest grain at which the server records activity. */
export function dayOf(timeMs: number): number {
  return Math.floor(timeMs / DAY_MS);
}
