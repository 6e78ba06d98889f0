import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { failure, ok } from '../../../src-shared/ipc/result';
import { countMessages, type HistoryStore } from '../../data';
import { ALICE, BOB, CAROL, openTestStore } from '../../data/testing/historyTesting';
import { FakeMain, incomingMessage } from '../../testing/fakeMain';
import { createHistoryWriter } from './historyWriter';
import { createInboxPump, INBOX_BATCH_SIZE, nextChunkSize, STORE_CHUNK } from './inboxPump';

const T = 1_700_000_000_000;

describe('inbox pump', () => {
  let store: HistoryStore | undefined;
  afterEach(() => store?.close());

  const setUp = async () => {
    store = await openTestStore({ label: 'pump' });
    const main = new FakeMain({ state: { status: 'signed_in', account: { accountId: ALICE, username: 'alice', deviceId: 1 } } });
    const writer = createHistoryWriter(store);
    const errors: string[] = [];
    const pump = createInboxPump({ bridge: main.bridge, writer, onError: (error) => errors.push(error.code) });
    return { main, writer, pump, errors, store };
  };

  it('moves a catch-up in batches of 500: one read and one confirm each', async () => {
    const { main, pump, store } = await setUp();
    main.inbox = Array.from({ length: 1_200 }, (_, index) => incomingMessage(index % 2 ? BOB : CAROL, `message ${index}`, T + index));
    const batches = [main.inbox.slice(0, 500), main.inbox.slice(500, 1_000), main.inbox.slice(1_000)].map((batch) => batch.map((item) => item.inboxId));
    await pump.pump();
    expect(main.callsTo('messaging', 'readInbox')).toEqual(Array(4).fill({ limit: INBOX_BATCH_SIZE }));
    expect(main.callsTo('messaging', 'confirmInbox')).toEqual(batches.map((inboxIds) => ({ inboxIds })));
    expect(main.inbox).toEqual([]);
    expect((await countMessages(store, BOB)) + (await countMessages(store, CAROL))).toBe(1_200);
  });

  /** A writer whose every transaction "takes" `milliseconds` on a fake clock, noting each one's size. */
  const timedWriter = (history: HistoryStore, milliseconds: number) => {
    const writer = createHistoryWriter(history);
    const clock = { now: 0 };
    return {
      clock,
      writer: {
        ...writer,
        run: <T,>(task: (history: HistoryStore) => Promise<T>) =>
          writer.run(async (store) => {
            clock.now += milliseconds;
            return task(store);
          }),
      },
    };
  };

  it('grows its store transactions to 500 items while they cause no long task', async () => {
    const { main, store } = await setUp();
    const timed = timedWriter(store, 300); // slow in wall time, but no task was long
    const pump = createInboxPump({
      bridge: main.bridge,
      writer: timed.writer,
      longTasks: { longestSince: () => 0, stop: () => undefined },
      now: () => timed.clock.now,
    });
    main.inbox = Array.from({ length: 1_300 }, (_, index) => incomingMessage(BOB, `message ${index}`, T + index));
    await pump.pump();
    expect(await countMessages(store, BOB)).toBe(1_300);
    // Growing by half from 100 (each read of 500 is stored whole before the next read).
    expect(main.callsTo('messaging', 'confirmInbox').map((call) => (call as { inboxIds: string[] }).inboxIds.length)).toEqual([500, 500, 300]);
    // 100, 150, 225 and the last 25 | 500 | 300: a batch's short last chunk does not shrink the next.
    expect(timed.clock.now / 300).toBe(6);
  });

  it('halves its store transactions after a long task, down to 25 items', async () => {
    const { main, store } = await setUp();
    const timed = timedWriter(store, 1);
    const tasks: number[] = [];
    const pump = createInboxPump({
      bridge: main.bridge,
      writer: timed.writer,
      longTasks: { longestSince: () => (tasks.push(0), 90), stop: () => undefined },
      now: () => timed.clock.now,
    });
    main.inbox = Array.from({ length: 200 }, (_, index) => incomingMessage(BOB, `message ${index}`, T + index));
    await pump.pump();
    expect(await countMessages(store, BOB)).toBe(200);
    // 100, 50, 25, 25 — each transaction was followed by a 90 ms task.
    expect(tasks).toHaveLength(4);
  });

  it('without the Long Tasks API, takes a transaction\'s wall time for its longest task', async () => {
    const { main, store } = await setUp();
    const timed = timedWriter(store, 100);
    const pump = createInboxPump({ bridge: main.bridge, writer: timed.writer, now: () => timed.clock.now });
    main.inbox = Array.from({ length: 600 }, (_, index) => incomingMessage(BOB, `message ${index}`, T + index));
    await pump.pump();
    expect(await countMessages(store, BOB)).toBe(600);
    // 100, 50, then the minimum: 100 + 50 + 25 × 14 = 500 for the first read, then 25 × 4.
    expect(timed.clock.now / 100).toBe(2 + 14 + 4);
    expect(main.callsTo('messaging', 'confirmInbox').map((call) => (call as { inboxIds: string[] }).inboxIds.length)).toEqual([500, 100]);
  });

  it('halves after a task of 70 ms or more, grows by half when none passed 50 ms, between 25 and 500 items', () => {
    expect(nextChunkSize(100, 0)).toBe(150);
    expect(nextChunkSize(100, 49)).toBe(150);
    expect(nextChunkSize(100, 60)).toBe(100);
    expect(nextChunkSize(100, 70)).toBe(50);
    expect(nextChunkSize(400, 0)).toBe(STORE_CHUNK.max);
    expect(nextChunkSize(30, 1_000)).toBe(STORE_CHUNK.min);
  });

  it('asks for the next batch right behind each confirm, before the confirm is answered', async () => {
    const { main, pump, store } = await setUp();
    main.inbox = Array.from({ length: 700 }, (_, index) => incomingMessage(BOB, `message ${index}`, T + index));
    const readsWhileConfirming: number[] = [];
    main.override('messaging', 'confirmInbox', async (argument) => {
      const { inboxIds } = argument as { inboxIds: string[] };
      const dropped = new Set(inboxIds);
      main.inbox = main.inbox.filter((item) => !dropped.has(item.inboxId));
      const readsBefore = main.callsTo('messaging', 'readInbox').length;
      await new Promise((resolve) => setTimeout(resolve, 20));
      readsWhileConfirming.push(main.callsTo('messaging', 'readInbox').length - readsBefore);
      return ok(undefined);
    });
    await pump.pump();
    expect(await countMessages(store, BOB)).toBe(700);
    expect(readsWhileConfirming).toEqual([1, 1]);
    // Nothing read twice: each read came after the confirm before it.
    expect(main.callsTo('messaging', 'readInbox')).toHaveLength(3);
  });

  it('confirms a batch only once its transaction has stored it', async () => {
    const { main, pump, store } = await setUp();
    main.inbox = [incomingMessage(BOB, 'one', T), incomingMessage(BOB, 'two', T + 1)];
    const storedAtConfirm: number[] = [];
    main.override('messaging', 'confirmInbox', async (argument: { inboxIds: string[] }) => {
      // Like main: the items are gone before the next call is answered.
      main.inbox = main.inbox.filter((item) => !argument.inboxIds.includes(item.inboxId));
      storedAtConfirm.push(await countMessages(store, BOB));
      return ok(null);
    });
    await pump.pump();
    expect(storedAtConfirm).toEqual([2]);
  });

  it('confirms nothing when the history could not store the batch, and keeps the inbox for the next round', async () => {
    const { main, pump, errors, store } = await setUp();
    main.inbox = [incomingMessage(BOB, 'kept for later', T)];
    store.close();
    await pump.pump();
    expect(main.callsTo('messaging', 'confirmInbox')).toEqual([]);
    expect(main.inbox).toHaveLength(1);
    expect(errors).toEqual(['internal']);
  });

  it('stops on a failed confirm instead of reading the same items forever', async () => {
    const { main, pump, errors } = await setUp();
    main.inbox = [incomingMessage(BOB, 'hello', T)];
    main.override('messaging', 'confirmInbox', () => failure('internal', 'vault busy'));
    await pump.pump();
    // The first read, and the next one asked for behind the confirm, whose answer is then dropped.
    expect(main.callsTo('messaging', 'readInbox')).toHaveLength(2);
    expect(main.callsTo('messaging', 'confirmInbox')).toHaveLength(1);
    expect(errors).toEqual(['internal']);
  });

  it('never drains twice at once; a signal during a drain makes it go round again', async () => {
    const { main, pump, store } = await setUp();
    let inFlight = 0;
    let most = 0;
    let round = 0;
    main.override('messaging', 'readInbox', async (argument: { limit: number }) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      round += 1;
      // New mail lands while the first read is out: the core signals again.
      if (round === 1) {
        main.inbox.push(incomingMessage(BOB, 'late', T + 10));
        void pump.pump();
      }
      await Promise.resolve();
      inFlight -= 1;
      return ok(main.inbox.slice(0, argument.limit));
    });
    main.inbox = [incomingMessage(BOB, 'early', T)];
    await Promise.all([pump.pump(), pump.pump(), pump.pump()]);
    expect(most).toBe(1);
    expect(main.inbox).toEqual([]);
    expect(await countMessages(store, BOB)).toBe(2);
  });
});
