/** A batch's limits: whichever is reached first closes it (a batch always takes at least one item). */
export type BatchLimits = { items: number; weight: number };

type Waiting<Item, Result> = { item: Item; weight: number; resolve: (result: Result) => void; reject: (reason: unknown) => void };

/**
 * Group commit: work items that arrive while a batch is being written wait, then go together
 * into the next batch, so many writers share one transaction (one fsync) instead of paying for
 * one each. Batches run one at a time, in submission order, and each `submit` settles only
 * after the batch holding its item has finished: with `commit` writing one transaction, an
 * item's promise resolving means its data is committed.
 */
export class GroupCommitter<Item, Result> {
  private readonly waiting: Array<Waiting<Item, Result>> = [];
  private running = false;
  private scheduled = false;

  constructor(
    private readonly options: {
      /** Writes the items in one go; settles one outcome per item, in order. */
      commit(items: Item[]): Promise<Array<PromiseSettledResult<Result>>>;
      limits: BatchLimits;
      /** An item's share of `limits.weight`, e.g. its bytes; default 1. */
      weigh?: (item: Item) => number;
    },
  ) {}

  submit(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.waiting.push({ item, weight: this.options.weigh?.(item) ?? 1, resolve, reject });
      this.schedule();
    });
  }

  private schedule() {
    if (this.running || this.scheduled || this.waiting.length === 0) return;
    this.scheduled = true;
    // After the I/O phase: frames that arrived in the same read (or while the last commit
    // blocked the event loop, as SQLite's fsync does) join this batch.
    setImmediate(() => {
      this.scheduled = false;
      this.running = true;
      void this.runBatch().finally(() => {
        this.running = false;
        this.schedule();
      });
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
