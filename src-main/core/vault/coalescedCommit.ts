import type { Vault } from './vault';
import type { VaultTransaction } from './vaultTransaction';

/**
 * Small writes made in one turn of the event loop, committed together in one durable commit: a
 * commit costs a SQLite transaction (its pages written to the log) however little it holds, and
 * messages are often put in the outbox several in a turn (a script, a bench answering each
 * arrival). Each caller's promise resolves exactly when its own commit's would: once the commit
 * holding its writes is on disk; and it rejects if that commit fails, when none of them is written.
 * Writes are committed in the order they were staged.
 */
export class CoalescedCommit {
  private pending: { transaction: VaultTransaction; durable: Promise<void> } | undefined;

  /** `onCommitted`: told after each commit is written (visible, not yet durable), e.g. to start sending. */
  constructor(
    private readonly vault: Vault,
    private readonly onCommitted: () => void = () => undefined,
  ) {}

  /** Stages writes with `stage` (which must not throw once it has staged some) into the turn's commit. */
  write(stage: (transaction: VaultTransaction) => void): Promise<void> {
    if (!this.pending) {
      const transaction = this.vault.transaction();
      const durable = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.commit());
      this.pending = { transaction, durable };
    }
    stage(this.pending.transaction);
    return this.pending.durable;
  }

  /** Resolves once the turn's commit, if one is waiting, has been written (before the vault may close). */
  async idle() {
    await this.pending?.durable.catch(() => undefined);
  }

  private commit(): Promise<void> {
    const { transaction } = this.pending!;
    this.pending = undefined;
    const durable = transaction.commit();
    this.onCommitted();
    return durable;
  }
}
