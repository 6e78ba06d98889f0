import { describe, expect, it } from 'vitest';
import { GroupCommitter } from './groupCommit';

/** A commit the test finishes by hand, recording every batch it was given. */
function manualCommits() {
  const batches: number[][] = [];
  const finishers: Array<() => void> = [];
  const commit = (items: number[]) => {
    batches.push(items);
    return new Promise<Array<PromiseSettledResult<number>>>((resolve) => {
      finishers.push(() => resolve(items.map((item) => ({ status: 'fulfilled', value: item * 10 }))));
    });
  };
  return { batches, commit, finish: (index: number) => finishers[index]?.() };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommitter', () => {
  it('commits items submitted together in one batch, and settles none before its commit', async () => {
    const commits = manualCommits();
    const committer = new GroupCommitter({ commit: commits.commit, limits: { items: 100, weight: 100 } });
    const settled: number[] = [];
    const results = [1, 2, 3].map((item) => committer.submit(item).then((value) => settled.push(value)));
    await turn();
    expect(commits.batches).toEqual([[1, 2, 3]]);
    await turn();
    expect(settled).toEqual([]);
    commits.finish(0);
    await Promise.all(results);
    expect(settled).toEqual([10, 20, 30]);
  });

  it('holds items that arrive during a commit for the next batch, which starts only after it', async () => {
    const commits = manualCommits();
    const committer = new GroupCommitter({ commit: commits.commit, limits: { items: 100, weight: 100 } });
    const first = committer.submit(1);
    await turn();
    const later = [committer.submit(2), committer.submit(3)];
    await turn();
    expect(commits.batches).toEqual([[1]]);
    commits.finish(0);
    expect(await first).toBe(10);
    // The next batch is scheduled once the first has fully ended, a turn after `first` settled.
    await turn();
    await turn();
    expect(commits.batches).toEqual([[1], [2, 3]]);
    commits.finish(1);
    expect(await Promise.all(later)).toEqual([20, 30]);
  });

  it('closes a batch at its item or weight limit, yet always takes at least one item', async () => {
    const batches: number[][] = [];
    const committer = new GroupCommitter<number, number>({
      commit: async (items) => {
        batches.push(items);
        return items.map((value) => ({ status: 'fulfilled', value }));
      },
      limits: { items: 3, weight: 10 },
      weigh: (item) => item,
    });
    await Promise.all([1, 1, 1, 1, 4, 4, 4, 50, 2].map((item) => committer.submit(item)));
    expect(batches).toEqual([[1, 1, 1], [1, 4, 4], [4], [50], [2]]);
  });

  it('rejects the items of a failed batch or a failed item only, and carries on', async () => {
    let calls = 0;
    const committer = new GroupCommitter<number, number>({
      commit: async (items) => {
        calls++;
        if (calls === 1) throw new Error('disk full');
        return items.map((item) =>
          item < 0 ? { status: 'rejected', reason: new Error('negative') } : { status: 'fulfilled', value: item },
        );
      },
      limits: { items: 100, weight: 100 },
    });
    const failed = await Promise.allSettled([committer.submit(1), committer.submit(2)]);
    expect(failed.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    const mixed = await Promise.allSettled([committer.submit(3), committer.submit(-1), committer.submit(4)]);
    expect(mixed.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value : 'rejected'))).toEqual([3, 'rejected', 4]);
  });
});
