import type { SerialQueue } from '../util/serialQueue';
import type { VaultTransaction } from '../vault/vaultTransaction';
import type { OutboxEntry } from './outboxEntry';
import { prepareOnEnqueue, type PreparationContext } from './outboxPreparation';

/**
 * A batch larger than this goes in as it is: encrypting it at once would hold the crypto queue
 * (receiving, typing) for the whole batch, where the sender takes it a window at a time.
 */
const MOST_PREPARED_AT_ONCE = 64;

export type OutboxWritesOptions = PreparationContext & {
  cryptoQueue: SerialQueue;
  /** Whether the server is connected: a ciphertext made while offline could only grow stale waiting. */
  connected: () => boolean;
  /** Told after each commit is written (visible, not yet durable), e.g. to start sending. */
  onCommitted: () => void;
};

type Batch = { entries: OutboxEntry[]; durable: Promise<void> };

/**
 * New outbox entries, put in the outbox the way the fewest commits do it. Entries put in one turn
 * of the event loop share one durable commit (a commit costs a SQLite transaction and, for
 * durability, an fsync, however little it holds; messages often come several in a turn: a
 * script, a reply to each arrival). And when the crypto queue is idle and the server connected,
 * that same commit holds their ciphertexts (see prepareOnEnqueue): a message travelling alone then
 * costs one durable commit before it leaves, not two. When the queue is busy (a batch being
 * decrypted), the device offline or the batch large, the entries are put as they are and the
 * sender encrypts them, so a send never waits for a batch.
 *
 * Each caller's promise resolves once the commit holding its entry is on disk, and rejects if
 * that commit fails (then none of its entries is written). Batches are written in the order they
 * were made, so the outbox keeps the order of the calls.
 */
export class OutboxWrites {
  private pending: Batch | undefined;
  /** The latest batch's write (its commit written, not yet durable): the next batch waits for it. */
  private lastWrite: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: OutboxWritesOptions) {}

  add(entry: OutboxEntry): Promise<void> {
    if (!this.pending) {
      const entries: OutboxEntry[] = [];
      const previous = this.lastWrite;
      const written = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => {
          if (this.pending?.entries === entries) this.pending = undefined;
          return previous;
        })
        .then(() => this.write(entries));
      this.lastWrite = written.catch(() => undefined);
      this.pending = { entries, durable: written.then(({ durable }) => durable) };
    }
    this.pending.entries.push(entry);
    return this.pending.durable;
  }

  /** Resolves once every batch made so far has been written (before the vault may close). */
  async idle() {
    await this.lastWrite;
  }

  /** Writes one batch; resolves (without waiting for the disk) with its commit's durability. */
  private async write(entries: OutboxEntry[]): Promise<{ durable: Promise<void> }> {
    const { vault, cryptoQueue, connected } = this.options;
    if (!cryptoQueue.idle || !connected() || entries.length > MOST_PREPARED_AT_ONCE) return this.commit(vault.transaction(), entries);
    return cryptoQueue.run(async () => {
      const transaction = vault.transaction();
      return this.commit(transaction, await prepareOnEnqueue(entries, transaction, this.options));
    });
  }

  private commit(transaction: VaultTransaction, entries: OutboxEntry[]): { durable: Promise<void> } {
    for (const entry of entries) transaction.putJson('outbox', entry.id, entry);
    const durable = transaction.commit();
    // Its callers await it; a rejection must not go unhandled before they do.
    durable.catch(() => undefined);
    this.options.onCommitted();
    return { durable };
  }
}
