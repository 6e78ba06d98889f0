import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { InboxItem } from '../../src-shared/domain/messages';
import { applyInboxBatch } from './applyInboxBatch';
import type { HistoryStore } from './historyStore';
import { markConversationRead, runDirectly, type HistoryTaskRunner } from './markConversationRead';
import { getChat } from './queries/chatList';
import { countUnread } from './queries/conversationMessages';
import { ALICE, BOB, CAROL, messageItem, openTestStore, readRawTables, uniqueDatabaseName } from './testing/historyTesting';

const T = 1_700_000_000_000;
const fromBob = (count: number, first = 0): InboxItem[] =>
  Array.from({ length: count }, (_, index) => messageItem(BOB, `b${String(first + index).padStart(5, '0')}`, `note ${index}`, T + (first + index) * 10));
const idsOf = (items: readonly InboxItem[]) => items.map((item) => (item.kind === 'message' ? item.message.messageId : ''));

/** Which of IndexedDB's read-write transactions touched unreadBlocks: one per step of a marking. */
function spyOnWriteTransactions() {
  const transaction = vi.spyOn(IDBDatabase.prototype, 'transaction');
  return () =>
    transaction.mock.calls.filter(([stores, mode]) => mode === 'readwrite' && [stores].flat().includes('unreadBlocks')).length;
}

describe('markConversationRead', () => {
  let store: HistoryStore | undefined;
  afterEach(() => {
    store?.close();
    vi.restoreAllMocks();
  });

  it('marks thousands read without rewriting a single message page, a chunk of 2,000 per transaction', async () => {
    const name = uniqueDatabaseName('mark-read');
    const writeTransactions = spyOnWriteTransactions();
    store = await openTestStore({ name });
    const items = fromBob(4_500);
    for (let start = 0; start < items.length; start += 1_000) await applyInboxBatch(store, items.slice(start, start + 1_000));
    await applyInboxBatch(store, [messageItem(CAROL, 'c1', 'not this chat', T), messageItem(ALICE, 'a1', 'mine', T + 1, BOB)]);
    store.close();
    const before = await readRawTables(name);
    // A block per batch and conversation: five of Bob's, one of Carol's.
    expect(before.unreadBlocks).toHaveLength(6);

    store = await openTestStore({ name });
    const transactionsBefore = writeTransactions();
    const deleteRequests = vi.spyOn(IDBObjectStore.prototype, 'delete');
    const read = await markConversationRead(runDirectly(store), BOB);
    expect(writeTransactions() - transactionsBefore).toBe(3);
    // Blocks go whole (a request each), not a message at a time: 2,000 is two blocks; 4,500 is five.
    expect(deleteRequests).toHaveBeenCalledTimes(5);
    expect(read).toEqual([{ senderAccountId: BOB, messageIds: idsOf(items) }]);
    expect(await countUnread(store, BOB)).toBe(0);
    expect(await countUnread(store, CAROL)).toBe(1);
    expect((await getChat(store, BOB))?.unreadCount).toBe(0);
    expect((await getChat(store, CAROL))?.unreadCount).toBe(1);
    store.close();

    // Byte for byte: every page is as it was sealed, not re-sealed with a new nonce.
    const after = await readRawTables(name);
    expect(after.messagePages).toEqual(before.messagePages);
    expect(after.unreadBlocks).toHaveLength(1);
  });

  it('counts down after each chunk, and leaves unread a message that arrives between chunks, wherever it sorts', async () => {
    store = await openTestStore();
    const history = store;
    const items = fromBob(5);
    await applyInboxBatch(history, items);
    // Sorts between the first and the last unread message, so inside the range being marked.
    const late = messageItem(BOB, 'b00002-late', 'delivered late', T + 25);
    const countsAfterEachStep: number[] = [];
    const arrivingMidway: HistoryTaskRunner = {
      run: async (task) => {
        const result = await task(history);
        countsAfterEachStep.push((await getChat(history, BOB))?.unreadCount ?? -1);
        if (countsAfterEachStep.length === 2) await applyInboxBatch(history, [late]);
        return result;
      },
    };
    const read = await markConversationRead(arrivingMidway, BOB, 2);
    expect(read).toEqual([{ senderAccountId: BOB, messageIds: idsOf(items) }]);
    // The key read, then 5 → 3, the late one arrives (4), 4 → 2 → 1.
    expect(countsAfterEachStep).toEqual([5, 3, 2, 1]);
    expect(await countUnread(history, BOB)).toBe(1);
    expect(await markConversationRead(runDirectly(history), BOB)).toEqual([{ senderAccountId: BOB, messageIds: ['b00002-late'] }]);
    expect((await getChat(history, BOB))?.unreadCount).toBe(0);
  });

  it('reports each message once when two markings of one chat overlap', async () => {
    store = await openTestStore();
    const items = fromBob(9);
    await applyInboxBatch(store, items);
    const [first, second] = await Promise.all([markConversationRead(runDirectly(store), BOB, 2), markConversationRead(runDirectly(store), BOB, 3)]);
    const reported = [...(first ?? []), ...(second ?? [])].flatMap((entry) => entry.messageIds);
    expect(reported.sort()).toEqual(idsOf(items));
    expect(await countUnread(store, BOB)).toBe(0);
  });

  it('sets a chat count right even with nothing to mark, and refuses a chunk size below 1', async () => {
    store = await openTestStore();
    await applyInboxBatch(store, fromBob(2));
    await store.db.unreadBlocks.clear();
    expect((await getChat(store, BOB))?.unreadCount).toBe(2);
    expect(await markConversationRead(runDirectly(store), BOB)).toEqual([]);
    expect((await getChat(store, BOB))?.unreadCount).toBe(0);
    await expect(markConversationRead(runDirectly(store), BOB, 0)).rejects.toBeInstanceOf(RangeError);
  });
});
