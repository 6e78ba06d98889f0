import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { applyInboxBatch, countUnread, getChat, markConversationRead, type HistoryStore, type HistoryTaskRunner } from '../../data';
import { ALICE, BOB, openTestStore } from '../../data/testing/historyTesting';
import { FakeMain, incomingMessage } from '../../testing/fakeMain';
import { createHistoryWriter } from './historyWriter';
import { createReadMarker } from './readMarker';

const T = 1_700_000_000_000;
const fromBob = (count: number) => Array.from({ length: count }, (_, index) => incomingMessage(BOB, `note ${index}`, T + index * 10));
const idsOf = (items: ReturnType<typeof fromBob>) => items.map((item) => (item.kind === 'message' ? item.message.messageId : ''));

type Receipts = { receipts: Array<{ accountId: string; messageIds: string[] }> };

describe('marking read on the serial writer', () => {
  let store: HistoryStore | undefined;
  afterEach(() => store?.close());

  const setUp = async (unread: number) => {
    store = await openTestStore({ label: 'read-marker' });
    const main = new FakeMain({ state: { status: 'signed_in', account: { accountId: ALICE, username: 'alice', deviceId: 1 } } });
    const writer = createHistoryWriter(store);
    const items = fromBob(unread);
    await applyInboxBatch(store, items);
    return { main, writer, store, items };
  };

  it('lets a write queued while a chat is being marked run between two chunks', async () => {
    const { writer, store, items } = await setUp(6);
    const order: string[] = [];
    const late = incomingMessage(BOB, 'arrived while marking', T + 25);
    let queuedInbox: Promise<unknown> | undefined;
    const watchedWriter: HistoryTaskRunner = {
      run: (task) => {
        const step = order.filter((entry) => entry.startsWith('mark')).length;
        const result = writer.run(async (history) => {
          order.push(`mark step ${step}`);
          return task(history);
        });
        // The inbox pump queues a batch just after the first chunk was queued.
        if (step === 1) {
          queuedInbox = writer.run(async (history) => {
            order.push('inbox batch');
            return applyInboxBatch(history, [late]);
          });
        }
        return result;
      },
    };
    const read = await markConversationRead(watchedWriter, BOB, 2);
    await queuedInbox;
    expect(order).toEqual(['mark step 0', 'mark step 1', 'inbox batch', 'mark step 2', 'mark step 3']);
    expect(read).toEqual([{ senderAccountId: BOB, messageIds: idsOf(items) }]);
    expect(await countUnread(store, BOB)).toBe(1);
    expect((await getChat(store, BOB))?.unreadCount).toBe(1);
  });

  it('runs one pass at a time per chat: asks during a pass share one more pass after it', async () => {
    const { main, writer, store, items } = await setUp(5);
    const reads = createReadMarker({ bridge: main.bridge, writer });
    // Hold the writer so the first pass is under way but cannot finish yet.
    let release: (() => void) | undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    void writer.run(() => gate);
    const first = reads.markRead(BOB);
    const joinsFirst = reads.markRead(BOB);
    // Lets the first pass start: it takes its keys behind the gate, before the late message.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const late = incomingMessage(BOB, 'arrived during the first pass', T + 1_000);
    const stored = writer.run((history) => applyInboxBatch(history, [late]));
    const second = reads.markRead(BOB);
    const joinsSecond = reads.markRead(BOB);
    expect(joinsFirst).toBe(first);
    expect(joinsSecond).toBe(second);
    release?.();
    await stored;
    expect(await Promise.all([first, second])).toEqual([5, 1]);
    const calls = main.callsTo('messaging', 'sendReadReceipts') as Receipts[];
    expect(calls.map((call) => call.receipts)).toEqual([
      [{ accountId: BOB, messageIds: idsOf(items) }],
      [{ accountId: BOB, messageIds: idsOf([late]) }],
    ]);
    expect(await countUnread(store, BOB)).toBe(0);
    // Idle again: the next ask starts a pass of its own, which finds nothing.
    expect(await reads.markRead(BOB)).toBe(0);
    expect(main.callsTo('messaging', 'sendReadReceipts')).toHaveLength(2);
  });
});
