import type { Durability, Vault, VaultCollection, VaultWrite } from './vault';

/** A write waiting for commit; `produce` (putLazily) makes its value on first need. */
type StagedWrite = VaultWrite & { produce?: () => Uint8Array };

function materialise(write: StagedWrite): VaultWrite {
  if (write.produce) {
    write.value = write.produce();
    write.produce = undefined;
  }
  return write;
}

/**
 * Staged writes over a Vault: reads see the staged value first, then the committed one.
 * Nothing reaches disk until commit(), which writes everything in one SQLite transaction.
 * A transaction that is dropped without commit leaves the vault as it was.
 */
export class VaultTransaction {
  private readonly staged = new Map<string, StagedWrite>();
  /** Committed values read ahead by `prefetch` (null: none), each with its collection's write count then. */
  private readonly prefetched = new Map<string, { value: Buffer | null; writes: number }>();
  private committed = false;

  constructor(private readonly vault: Vault) {}

  get(collection: VaultCollection, key: string): Buffer | Uint8Array | undefined {
    const stagedKey = `${collection}\0${key}`;
    const write = this.staged.get(stagedKey);
    if (write) return materialise(write).value ?? undefined;
    const prefetched = this.prefetched.get(stagedKey);
    // Taken only while no commit has written the collection since: then it is still the committed value.
    if (prefetched && prefetched.writes === this.vault.writesTo(collection)) return prefetched.value ?? undefined;
    return this.vault.read(collection, key);
  }

  /**
   * Reads the committed values of many keys in a few queries, so the get() of each that follows
   * costs no query of its own (a batch looking up each of its envelope ids). get() answers the
   * same as without it: staged writes first, and a value read ahead is not used once another
   * commit has written to the collection.
   */
  prefetch(collection: VaultCollection, keys: readonly string[]) {
    const writes = this.vault.writesTo(collection);
    const found = this.vault.readMany(collection, keys);
    for (const key of keys) this.prefetched.set(`${collection}\0${key}`, { value: found.get(key) ?? null, writes });
  }

  getJson<T>(collection: VaultCollection, key: string): T | undefined {
    const value = this.get(collection, key);
    return value === undefined ? undefined : (JSON.parse(Buffer.from(value).toString('utf8')) as T);
  }

  /** `order` places the entry in its collection's listing (default: after everything written so far). */
  put(collection: VaultCollection, key: string, value: Uint8Array, order?: number) {
    this.stage({ collection, key, value: Uint8Array.from(value), order });
  }

  /**
   * put(), with the value made only when needed (at commit, or when read back): for values
   * rewritten many times in one transaction, such as a session advanced by every message of a batch.
   */
  putLazily(collection: VaultCollection, key: string, produce: () => Uint8Array) {
    this.stage({ collection, key, value: null, produce });
  }

  private stage(write: StagedWrite) {
    this.assertOpen();
    const stagedKey = `${write.collection}\0${write.key}`;
    this.staged.delete(stagedKey); // re-insert so commit order follows the latest write
    this.staged.set(stagedKey, write);
  }

  putJson(collection: VaultCollection, key: string, value: unknown, order?: number) {
    this.put(collection, key, Buffer.from(JSON.stringify(value), 'utf8'), order);
  }

  delete(collection: VaultCollection, key: string) {
    this.stage({ collection, key, value: null });
  }

  /** Whether this transaction has staged a deletion of the entry. */
  deletes(collection: VaultCollection, key: string): boolean {
    const write = this.staged.get(`${collection}\0${key}`);
    return write !== undefined && write.value === null && write.produce === undefined;
  }

  get size() {
    return this.staged.size;
  }

  /**
   * Writes everything staged in one SQLite transaction, visible at once. `durable` (the default):
   * the promise resolves once this commit and every earlier one is on disk, and rejects if the
   * disk refused — await it before anything that must survive a power cut depends on it.
   * `relaxed`: resolves at once (see Durability).
   */
  commit(durability: Durability = 'durable'): Promise<void> {
    this.assertOpen();
    this.committed = true;
    if (this.staged.size > 0) this.vault.applyWrites(this.writes());
    return durability === 'durable' ? this.vault.synced() : Promise.resolve();
  }

  /** commit(), blocking until it is on disk: only where the caller cannot wait (rare, small writes). */
  commitNow() {
    this.assertOpen();
    this.committed = true;
    if (this.staged.size > 0) this.vault.applyWrites(this.writes());
    this.vault.syncedNow();
  }

  private *writes(): Iterable<VaultWrite> {
    for (const write of this.staged.values()) yield materialise(write);
  }

  private assertOpen() {
    if (this.committed) throw new Error('this vault transaction has already been committed');
  }
}
