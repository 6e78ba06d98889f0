import Database from 'better-sqlite3';
import { hkdfSync } from 'node:crypto';
import { chmodSync, existsSync, realpathSync } from 'node:fs';
import { open, seal } from '../crypto/aead';
import { HmacSha256 } from '../crypto/hmacSha256';
import { VaultTransaction } from './vaultTransaction';
import { WalSync } from './walSync';

/**
 * The device's vault (ARCHITECTURE.md §2): keys, sessions, the inbox and the outbox, in one
 * SQLite file. Every value is sealed with the vault key and bound to its row; every lookup key
 * is a keyed hash, so the file shows neither contents nor whom the device talks to.
 *
 * Writes happen only through a VaultTransaction, which stages them and commits them in one
 * SQLite transaction: a batch of decrypts, their session states and their inbox records are
 * durable together or not at all. A commit is visible at once and durable once `synced()`
 * resolves: commits share fsyncs run off the event loop (group commit, see WalSync).
 */
export type VaultCollection =
  | 'meta'
  | 'session'
  | 'identity'
  | 'preKey'
  | 'signedPreKey'
  | 'kyberPreKey'
  | 'devices'
  | 'contact'
  | 'processed'
  | 'inbox'
  | 'outbox'
  /** Messages waiting to be uploaded to the account's archive (C5), keyed by item id. */
  | 'archive'
  /** The settings synced between my devices (B3, F3), one register per key (see SyncedPreferences). */
  | 'preference'
  /** A2: to whom I gave which version of my profile key (value `{accountId, version}`), keyed by account id. */
  | 'profileShare'
  /** A2: other people's profile keys, and whether their profile under it was fetched, keyed by account id. */
  | 'peerProfile'
  /** A4: who holds my avatar key, and the avatar keys people gave me. */
  | 'avatarShare'
  | 'peerAvatar';

/** Collections read far more often than written: their plaintext stays in memory once read. */
const CACHED: ReadonlySet<VaultCollection> = new Set(['meta', 'session', 'identity', 'signedPreKey', 'devices', 'contact']);

const SCHEMA_VERSION = 1;
/** SQLite's name for a database that lives in memory (tests): nothing to make durable. */
const IN_MEMORY = ':memory:';
/** Hashed lookup keys remembered (a key is hashed on every read and write; most are used several times). */
const HASHED_KEYS_REMEMBERED = 8_192;
/** readMany asks SQLite for at most this many keys per query; queries are prepared per power of two up to it. */
const KEYS_PER_QUERY = 256;

/** Another process has this vault open. */
export class VaultInUseError extends Error {
  constructor() {
    super('this profile is open in another Parley process; close that one first');
    this.name = 'VaultInUseError';
  }
}

/**
 * One process at a time per vault: two would each hold sessions in memory and could encrypt two
 * messages with one message key. SQLite's exclusive locking mode keeps the file lock from the
 * first write until the connection closes (or its process dies), so the kernel enforces it.
 */
function openExclusively(path: string): Database.Database {
  const database = new Database(path, { timeout: 0 });
  try {
    database.pragma('locking_mode = EXCLUSIVE');
    // WalSync's durability rests on every commit going to the WAL: refuse a vault that is not in it.
    const journal = database.pragma('journal_mode = WAL', { simple: true });
    if (journal !== 'wal' && path !== IN_MEMORY) throw new Error('the vault could not use a write-ahead log');
    // On macOS a checkpoint then flushes with F_FULLFSYNC too, as Node's fsync of the WAL does.
    database.pragma('checkpoint_fullfsync = ON');
    database.exec('BEGIN IMMEDIATE; COMMIT');
  } catch (error) {
    database.close();
    if (error instanceof Error && 'code' in error && String(error.code).startsWith('SQLITE_BUSY')) throw new VaultInUseError();
    throw error;
  }
  for (const file of [path, `${path}-wal`]) if (existsSync(file)) chmodSync(file, 0o600);
  return database;
}

export type VaultWrite = { collection: VaultCollection; key: string; value: Uint8Array | null; order?: number };

/**
 * `durable` (the default): the commit's promise resolves once it is on disk — await it before an
 * ack leaves or a ciphertext goes on the wire. `relaxed`: nobody waits (a later sync or checkpoint
 * takes it to disk); a power cut may undo it, which is safe only for writes that merely discard
 * finished work or cache what can be asked again (everything here is idempotent).
 */
export type Durability = 'durable' | 'relaxed';

export type VaultOptions = {
  /** For tests: how the write-ahead log is flushed to disk (see WalSyncOptions). */
  fsync?: (fd: number) => Promise<void>;
};

export class Vault {
  private readonly database: Database.Database;
  private readonly encryptionKey: Buffer;
  private readonly indexHash: HmacSha256;
  private readonly cache = new Map<string, Buffer | null>();
  private readonly hashedKeys = new Map<string, Buffer>();
  /** Per collection, how many commits have written to it: what readMany's callers compare (see `writesTo`). */
  private readonly writeCounts = new Map<VaultCollection, number>();
  private readonly readManyStatements = new Map<number, Database.Statement>();
  private nextOrder: number;
  private readonly statements: ReturnType<Vault['prepareStatements']>;
  private readonly walSync: WalSync;

  private constructor(path: string, vaultKey: Uint8Array, options: VaultOptions) {
    if (vaultKey.length !== 32) throw new Error('a vault key is 32 bytes');
    this.encryptionKey = Buffer.from(hkdfSync('sha256', vaultKey, Buffer.alloc(0), 'parley vault values', 32));
    this.indexHash = new HmacSha256(Buffer.from(hkdfSync('sha256', vaultKey, Buffer.alloc(0), 'parley vault index', 32)));
    this.database = openExclusively(path);
    // Commits do not wait for the disk; WalSync's fsync does, for whoever needs it (group commit).
    this.database.pragma('synchronous = NORMAL');
    // SQLite keeps the WAL beside the real file when the path is a symbolic link.
    this.walSync = new WalSync({ walPath: path === IN_MEMORY ? path : `${realpathSync(path)}-wal`, fsync: options.fsync });
    this.migrate();
    const row = this.database.prepare('SELECT MAX(ordinal) AS last FROM entries').get() as { last: number | null };
    this.nextOrder = (row.last ?? 0) + 1;
    this.statements = this.prepareStatements();
  }

  private prepareStatements() {
    const database = this.database;
    return {
      read: database.prepare('SELECT value FROM entries WHERE collection = ? AND key = ?'),
      list: database.prepare('SELECT key, value FROM entries WHERE collection = ? ORDER BY ordinal LIMIT ?'),
      count: database.prepare('SELECT COUNT(*) AS count FROM entries WHERE collection = ?'),
      deleteOlderThan: database.prepare('DELETE FROM entries WHERE collection = ? AND ordinal < ?'),
      upsert: database.prepare(
        `INSERT INTO entries (collection, key, ordinal, value) VALUES (?, ?, ?, ?)
         ON CONFLICT (collection, key) DO UPDATE SET value = excluded.value`,
      ),
      remove: database.prepare('DELETE FROM entries WHERE collection = ? AND key = ?'),
    };
  }

  /** Throws VaultInUseError when another process has it open. */
  static open(path: string, vaultKey: Uint8Array, options: VaultOptions = {}): Vault {
    return new Vault(path, vaultKey, options);
  }

  private migrate() {
    const version = this.database.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) throw new Error('this vault was written by a newer Parley; update the app');
    if (version < 1) {
      this.database.exec(`
        CREATE TABLE entries (
          collection TEXT NOT NULL,
          key BLOB NOT NULL,
          ordinal INTEGER NOT NULL,
          value BLOB NOT NULL,
          PRIMARY KEY (collection, key)
        ) WITHOUT ROWID;
        CREATE INDEX entries_by_order ON entries (collection, ordinal);
      `);
    }
    this.database.pragma(`user_version = ${SCHEMA_VERSION}`);
  }

  private hashKey(collection: VaultCollection, key: string): Buffer {
    const name = `${collection}\0${key}`;
    let hashed = this.hashedKeys.get(name);
    if (hashed) return hashed;
    hashed = this.indexHash.digest(name).subarray(0, 16);
    if (this.hashedKeys.size >= HASHED_KEYS_REMEMBERED) this.hashedKeys.clear();
    this.hashedKeys.set(name, hashed);
    return hashed;
  }

  private associatedData(collection: VaultCollection, hashedKey: Buffer) {
    return Buffer.concat([Buffer.from(`${collection}\0`), hashedKey]);
  }

  /** The committed value, or undefined. */
  read(collection: VaultCollection, key: string): Buffer | undefined {
    const cacheKey = `${collection}\0${key}`;
    const cached = this.cache.get(cacheKey);
    if (cached !== undefined) return cached ?? undefined;
    const hashedKey = this.hashKey(collection, key);
    const row = this.statements.read.get(collection, hashedKey) as { value: Buffer } | undefined;
    const value = row ? open(this.encryptionKey, row.value, this.associatedData(collection, hashedKey)) : undefined;
    if (CACHED.has(collection)) this.cache.set(cacheKey, value ?? null);
    return value;
  }

  /**
   * The committed values of many keys (those that have one), in a query per KEYS_PER_QUERY keys
   * instead of one per key: for a batch that looks up every one of its envelope ids.
   */
  readMany(collection: VaultCollection, keys: readonly string[]): Map<string, Buffer> {
    const found = new Map<string, Buffer>();
    const byHash = new Map<string, string>();
    for (const key of keys) {
      const value = this.cache.get(`${collection}\0${key}`);
      if (value === undefined) byHash.set(this.hashKey(collection, key).toString('latin1'), key);
      else if (value !== null) found.set(key, value);
    }
    const hashes = [...byHash.keys()].map((hashed) => Buffer.from(hashed, 'latin1'));
    for (let start = 0; start < hashes.length; start += KEYS_PER_QUERY) {
      const chunk = hashes.slice(start, start + KEYS_PER_QUERY);
      const size = 2 ** Math.ceil(Math.log2(chunk.length));
      // Padded with repeats of the first key, so a few prepared queries serve every batch size.
      const parameters = [...chunk, ...Array<Buffer>(size - chunk.length).fill(chunk[0]!)];
      const rows = this.readManyStatement(size).all(collection, ...parameters) as Array<{ key: Buffer; value: Buffer }>;
      for (const row of rows) {
        const key = byHash.get(row.key.toString('latin1'))!;
        const value = open(this.encryptionKey, row.value, this.associatedData(collection, row.key));
        if (CACHED.has(collection)) this.cache.set(`${collection}\0${key}`, value);
        found.set(key, value);
      }
    }
    return found;
  }

  private readManyStatement(size: number): Database.Statement {
    let statement = this.readManyStatements.get(size);
    if (!statement) {
      const placeholders = Array<string>(size).fill('?').join(', ');
      statement = this.database.prepare(`SELECT key, value FROM entries WHERE collection = ? AND key IN (${placeholders})`);
      this.readManyStatements.set(size, statement);
    }
    return statement;
  }

  /**
   * How many commits (and prunings) have written to a collection so far: a value read before is
   * still the committed one while this has not moved.
   */
  writesTo(collection: VaultCollection): number {
    return this.writeCounts.get(collection) ?? 0;
  }

  private noteWriteTo(collection: VaultCollection) {
    this.writeCounts.set(collection, this.writesTo(collection) + 1);
  }

  /** Committed values of a collection, oldest first (insertion order, or the order given at put). */
  list(collection: VaultCollection, limit = 10_000): Buffer[] {
    const rows = this.statements.list.all(collection, limit) as Array<{ key: Buffer; value: Buffer }>;
    return rows.map((row) => open(this.encryptionKey, row.value, this.associatedData(collection, row.key)));
  }

  count(collection: VaultCollection): number {
    return (this.statements.count.get(collection) as { count: number }).count;
  }

  /** Deletes entries of a collection whose order value is below `ordinal` (used for time-ordered pruning). */
  deleteOlderThan(collection: VaultCollection, ordinal: number): number {
    const { changes } = this.statements.deleteOlderThan.run(collection, ordinal);
    this.noteWriteTo(collection);
    this.walSync.noteCommit();
    return changes;
  }

  transaction(): VaultTransaction {
    return new VaultTransaction(this);
  }

  /** Applies staged writes atomically (visible at once, durable after `synced()`); called by VaultTransaction.commit. */
  applyWrites(writes: Iterable<VaultWrite>) {
    const cacheUpdates: Array<[string, Buffer | null]> = [];
    const written = new Set<VaultCollection>();
    try {
      this.database.transaction(() => {
        for (const write of writes) {
          written.add(write.collection);
          this.writeOne(write, cacheUpdates);
        }
      })();
    } finally {
      // Also after a rollback: a reader comparing counts then reads again, which is never wrong.
      for (const collection of written) this.noteWriteTo(collection);
    }
    this.walSync.noteCommit();
    for (const [cacheKey, value] of cacheUpdates) this.cache.set(cacheKey, value);
  }

  /** Resolves once every commit made so far is on disk; rejects if the disk refused (then none is). */
  synced(): Promise<void> {
    return this.walSync.synced();
  }

  /**
   * The disk refused an fsync: every later durable commit fails, and reopening in this process
   * would not help (the kernel may still hold the lost pages and show them as written).
   */
  get failed(): boolean {
    return this.walSync.failed;
  }

  /** `synced()`, blocking the thread: only for the rare writes made where nothing can wait. */
  syncedNow() {
    this.walSync.syncedNow();
  }

  private writeOne(write: VaultWrite, cacheUpdates: Array<[string, Buffer | null]>) {
    const hashedKey = this.hashKey(write.collection, write.key);
    if (write.value === null) {
      this.statements.remove.run(write.collection, hashedKey);
    } else {
      const sealed = seal(this.encryptionKey, write.value, this.associatedData(write.collection, hashedKey));
      this.statements.upsert.run(write.collection, hashedKey, write.order ?? this.nextOrder++, sealed);
    }
    if (CACHED.has(write.collection)) {
      cacheUpdates.push([`${write.collection}\0${write.key}`, write.value === null ? null : Buffer.from(write.value)]);
    }
  }

  close() {
    if (this.database.open) this.database.close();
    this.walSync.closedDatabase();
  }
}
