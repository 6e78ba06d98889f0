/** A batch's limits: whichever is reached first closes it (a batch always takes at least one item). */
export type BatchLimits = { items: number; weight: number };

type Waiting<Item, Result> = { item: Item; weight: number; resolve: (result: Result) => void; reject: (reason: unknown) => void };

/**
 * Group commit: work items that arrive while a batch is being written wait, then go together
 * into the next batch, so many writers share one transaction (one fsync) instead of paying for
 * one each. Batches are taken in submission order; at most `concurrency` run at once (default 1:
 * one after another — SQLite has one connection; on PostgreSQL a few overlap their round trips,
 * and the storage already copes with transactions that commit out of order, as on many nodes).
 * Each `submit` settles only after the batch holding its item has finished: with `commit`
 * writing one transaction, an item's promise resolving means its data is committed.
 */
export class GroupCommitter<Item, Result> {
  private readonly waiting: Array<Waiting<Item, Result>> = [];
  private running = 0;
  private scheduled = false;

  constructor(
    private readonly options: {
      /** Writes the items in one go; settles one outcome per item, in order. */
      commit(items: Item[]): Promise<Array<PromiseSettledResult<Result>>>;
      limits: BatchLimits;
      /** An item's share of `limits.weight`, e.g. its bytes; default 1. */
      weigh?: (item: Item) => number;
      /** Batches written at once; default 1. */
      concurrency?: number;
    },
  ) {}

  submit(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.waiting.push({ item, weight: this.options.weigh?.(item) ?? 1, resolve, reject });
      this.schedule();
    });
  }

  private schedule() {
    if (this.running >= (this.options.concurrency ?? 1) || this.scheduled || this.waiting.length === 0) return;
    this.scheduled = true;
    // After the I/O phase: frames that arrived in the same read (or while the last commit
    // blocked the event loop, as SQLite's fsync does) join this batch.
    setImmediate(() => {
      this.scheduled = false;
      if (this.waiting.length === 0) return;
      this.running++;
      void this.runBatch().finally(() => {
        this.running--;
        this.schedule();
      });
      // Room for another batch: what arrives meanwhile may go at once.
      this.schedule();
    });
  }

  private takeBatch(): Array<Waiting<Item, Result>> {
    const { items, weight } = this.options.limits;
    let count = 0;
    let total = 0;
    for (const entry of this.waiting) {
      if (count > 0 && (count >= items || total + entry.weight > weight)) break;
      count++;
      total += entry.weight;
    }
    return this.waiting.splice(0, count);
  }

  private async runBatch() {
    const batch = this.takeBatch();
    let outcomes: Array<PromiseSettledResult<Result>>;
    try {
      outcomes = await this.options.commit(batch.map((entry) => entry.item));
    } catch (error) {
      outcomes = batch.map(() => ({ status: 'rejected', reason: error }));
    }
    batch.forEach((entry, index) => {
      const outcome = outcomes[index];
      if (outcome?.status === 'fulfilled') entry.resolve(outcome.value);
      else entry.reject(outcome ? outcome.reason : new Error('the batch gave no outcome for this item'));
    });
  }
}
