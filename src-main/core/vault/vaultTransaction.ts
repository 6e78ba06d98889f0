import type { Durability, Vault, VaultCollection, VaultWrite } from './vault';

/**
 * Staged writes over a Vault: reads see the staged value first, then the committed one.
 * Nothing reaches disk until commit(), which writes everything in one SQLite transaction.
 * A transaction that is dropped without commit leaves the vault as it was.
 */
export class VaultTransaction {
  private readonly staged = new Map<string, VaultWrite>();
  private committed = false;

  constructor(private readonly vault: Vault) {}

  get(collection: VaultCollection, key: string): Buffer | Uint8Array | undefined {
    const write = this.staged.get(`${collection}\0${key}`);
    if (write) return write.value ?? undefined;
    return this.vault.read(collection, key);
  }

  getJson<T>(collection: VaultCollection, key: string): T | undefined {
    const value = this.get(collection, key);
    return value === undefined ? undefined : (JSON.parse(Buffer.from(value).toString('utf8')) as T);
  }

  /** `order` places the entry in its collection's listing (default: after everything written so far). */
  put(collection: VaultCollection, key: string, value: Uint8Array, order?: number) {
    this.assertOpen();
    const stagedKey = `${collection}\0${key}`;
    this.staged.delete(stagedKey); // re-insert so commit order follows the latest write
    this.staged.set(stagedKey, { collection, key, value: Uint8Array.from(value), order });
  }

  putJson(collection: VaultCollection, key: string, value: unknown, order?: number) {
    this.put(collection, key, Buffer.from(JSON.stringify(value), 'utf8'), order);
  }

  delete(collection: VaultCollection, key: string) {
    this.assertOpen();
    const stagedKey = `${collection}\0${key}`;
    this.staged.delete(stagedKey);
    this.staged.set(stagedKey, { collection, key, value: null });
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
    if (this.staged.size > 0) this.vault.applyWrites(this.staged.values());
    return durability === 'durable' ? this.vault.synced() : Promise.resolve();
  }

  /** commit(), blocking until it is on disk: only where the caller cannot wait (rare, small writes). */
  commitNow() {
    this.assertOpen();
    this.committed = true;
    if (this.staged.size > 0) this.vault.applyWrites(this.staged.values());
    this.vault.syncedNow();
  }

  private assertOpen() {
    if (this.committed) throw new Error('this vault transaction has already been committed');
  }
}
