import { closeSync, existsSync, fsync, fsyncSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

export type WalSyncOptions = {
  /** The SQLite write-ahead log (`<vault>-wal`). */
  walPath: string;
  /** For tests: how a file descriptor is flushed (default `fs.fsync` on libuv's thread pool). */
  fsync?: (fd: number) => Promise<void>;
};

const fsyncOnThreadPool = (fd: number) =>
  new Promise<void>((resolve, reject) => fsync(fd, (error) => (error ? reject(error) : resolve())));

/**
 * Group commit for the vault: commits write the WAL without waiting for the disk
 * (`synchronous = NORMAL`), and whoever needs them durable (before an ack, before a ciphertext
 * leaves) awaits `synced()`. One fsync of the WAL, run off the event loop, makes durable every
 * commit made before it started, so many commits share one disk wait and the loop keeps working
 * meanwhile. A commit is durable once `synced()` resolves after it, exactly as with
 * `synchronous = FULL` (SQLite syncs the WAL before a checkpoint copies it into the database, so a
 * synced frame is never lost to one). If the fsync fails, `synced()` rejects and so does every
 * later call: after a failed fsync the kernel may have dropped the dirty pages, so no later
 * success could vouch for them (the vault must be reopened).
 */
export class WalSync {
  private fd: number | undefined;
  /** Commits noted so far, and how many of them the last finished fsync covered. */
  private noted = 0;
  private covered = 0;
  private running: Promise<void> | undefined;
  private closed = false;
  private failure: unknown;
  private readonly fsync: (fd: number) => Promise<void>;

  constructor(private readonly options: WalSyncOptions) {
    this.fsync = options.fsync ?? fsyncOnThreadPool;
  }

  /** An fsync has failed: nothing written since can be vouched for until the process restarts. */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  /** A commit has written the WAL. */
  noteCommit() {
    this.noted += 1;
  }

  /** Resolves once every commit noted before this call is on disk. */
  async synced(): Promise<void> {
    const target = this.noted;
    if (this.failure !== undefined) throw this.failure;
    while (this.covered < target) {
      if (this.failure !== undefined) throw this.failure;
      if (!this.running) this.running = this.syncOnce().finally(() => (this.running = undefined));
      await this.running;
    }
  }

  /** The same, blocking: for the rare writes made where nothing can wait (sign-up's last step). */
  syncedNow() {
    const target = this.noted;
    if (this.failure !== undefined) throw this.failure;
    if (this.covered >= target) return;
    try {
      const fd = this.descriptor();
      if (fd !== undefined) fsyncSync(fd);
    } catch (error) {
      this.failure = error;
      throw error;
    }
    this.covered = Math.max(this.covered, target);
  }

  /**
   * The database has been closed, which checkpoints every commit into the database file and
   * syncs it: all noted commits are durable. The descriptor closes once a running fsync ends.
   */
  closedDatabase() {
    this.closed = true;
    // After a failed fsync the close's own sync vouches for nothing either (see the class comment).
    if (this.failure === undefined) this.covered = this.noted;
    const fd = this.fd;
    this.fd = undefined;
    if (fd === undefined) return;
    if (this.running) void this.running.catch(() => undefined).finally(() => closeSync(fd));
    else closeSync(fd);
  }

  private async syncOnce() {
    if (this.closed) return;
    const covering = this.noted;
    try {
      const fd = this.descriptor();
      if (fd !== undefined) await this.fsync(fd);
    } catch (error) {
      this.failure = error;
      throw error;
    }
    this.covered = Math.max(this.covered, covering);
  }

  /**
   * The WAL's descriptor, opened on first need (SQLite creates the file at the first write).
   * The first time, the directory is flushed too, so the new file's name survives a power cut.
   */
  private descriptor(): number | undefined {
    if (this.fd !== undefined || this.closed) return this.fd;
    if (!existsSync(this.options.walPath)) return undefined;
    // Read-write: Windows flushes a file only through a handle that may write it.
    this.fd = openSync(this.options.walPath, 'r+');
    flushDirectory(dirname(this.options.walPath));
    return this.fd;
  }
}

function flushDirectory(path: string) {
  if (process.platform === 'win32') return; // directories cannot be opened for flushing there
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
