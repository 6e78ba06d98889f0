/**
 * The storage key handed in at open does not open this history: the user's profile was opened
 * with another key (or the key was corrupted on its way from main). Nothing was read or written.
 */
export class WrongStorageKeyError extends Error {
  override readonly name = 'WrongStorageKeyError';
  constructor() {
    super('The storage key does not open this history');
  }
}

/**
 * One stored record failed its integrity check: it was altered on disk, written without the
 * encryption middleware, or sealed under another key. Never returned as data, so the UI can
 * never show garbage. The message names the table only, never content.
 */
export class SealedRecordError extends Error {
  override readonly name = 'SealedRecordError';
  constructor(
    readonly table: string,
    reason: string,
  ) {
    super(`A record in "${table}" cannot be opened: ${reason}`);
  }
}
