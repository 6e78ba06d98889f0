import { describe, expect, it } from 'vitest';
import { PrioritySemaphore, type SemaphoreLane } from './prioritySemaphore';

/** A task the test finishes by hand, recording when it started. */
function controlled(order: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return {
    task: async () => {
      order.push(name);
      await done;
      return name;
    },
    finish,
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('PrioritySemaphore', () => {
  it('runs at most `concurrency` tasks at once', async () => {
    const semaphore = new PrioritySemaphore(2);
    const order: string[] = [];
    const tasks = ['a', 'b', 'c', 'd'].map((name) => controlled(order, name));
    const results = tasks.map((task) => semaphore.run('low', task.task));
    await settle();
    expect(order).toEqual(['a', 'b']);
    expect(semaphore.active).toBe(2);
    expect(semaphore.waiting('low')).toBe(2);
    tasks[0]!.finish();
    await settle();
    expect(order).toEqual(['a', 'b', 'c']);
    for (const task of tasks) task.finish();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd']);
    expect(semaphore.active).toBe(0);
  });

  it('serves every waiting high task before any waiting low one, each lane in arrival order', async () => {
    const semaphore = new PrioritySemaphore(1);
    const order: string[] = [];
    const blocker = controlled(order, 'running');
    const running = semaphore.run('low', blocker.task);
    const arrivals: [string, SemaphoreLane][] = [
      ['low1', 'low'],
      ['high1', 'high'],
      ['low2', 'low'],
      ['high2', 'high'],
    ];
    const queued = arrivals.map(([name, lane]) => semaphore.run(lane, async () => void order.push(name)));
    await settle();
    expect(semaphore.waiting('high')).toBe(2);
    expect(semaphore.waiting('low')).toBe(2);
    blocker.finish();
    await Promise.all([running, ...queued]);
    expect(order).toEqual(['running', 'high1', 'high2', 'low1', 'low2']);
  });

  it('frees the slot when a task fails', async () => {
    const semaphore = new PrioritySemaphore(1);
    await expect(semaphore.run('high', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await semaphore.run('low', () => Promise.resolve(7))).toBe(7);
    expect(semaphore.active).toBe(0);
    expect(semaphore.started).toBe(2);
  });

  it('refuses a concurrency that is not a positive integer', () => {
    expect(() => new PrioritySemaphore(0)).toThrow(RangeError);
  });
});
