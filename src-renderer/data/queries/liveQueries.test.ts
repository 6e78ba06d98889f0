import 'fake-indexeddb/auto';
import { liveQuery } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { applyInboxBatch } from '../applyInboxBatch';
import type { HistoryStore } from '../historyStore';
import { BOB, messageItem, openTestStore } from '../testing/historyTesting';
import { listChats } from './chatList';
import { listMessagesPage } from './conversationMessages';
import { searchMessages } from './searchMessages';

const T = 1_700_000_000_000;

/** Subscribes to a live query and resolves each time it emits a value that passes `until`. */
function watch<T>(query: () => Promise<T>) {
  const values: T[] = [];
  const waiters: Array<{ until: (value: T) => boolean; resolve: (value: T) => void }> = [];
  const subscription = liveQuery(query).subscribe({
    next: (value) => {
      values.push(value);
      for (const waiter of [...waiters]) {
        if (waiter.until(value)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(value);
        }
      }
    },
  });
  const next = (until: (value: T) => boolean) =>
    new Promise<T>((resolve) => {
      const seen = values.find(until);
      if (seen !== undefined) resolve(seen);
      else waiters.push({ until, resolve });
    });
  return { next, stop: () => subscription.unsubscribe() };
}

describe('queries under liveQuery', () => {
  let store: HistoryStore | undefined;
  afterEach(() => store?.close());

  it('re-run when a batch lands, and see plain records through the middleware', async () => {
    const opened = await openTestStore();
    store = opened;
    const chats = watch(() => listChats(opened));
    const page = watch(() => listMessagesPage(opened, { conversationId: BOB, limit: 20 }));
    const search = watch(() => searchMessages(opened, { query: 'lantern' }));
    await chats.next((value) => value.length === 0);

    await applyInboxBatch(opened, [messageItem(BOB, 'b1', 'bring the lantern', T)]);
    expect((await chats.next((value) => value.length === 1))[0]?.lastMessage?.preview).toBe('bring the lantern');
    expect((await page.next((value) => value.messages.length === 1)).messages[0]?.text).toBe('bring the lantern');
    expect((await search.next((value) => value.length === 1))[0]?.messageId).toBe('b1');

    await applyInboxBatch(opened, [messageItem(BOB, 'b2', 'and a second lantern', T + 1)]);
    expect((await search.next((value) => value.length === 2)).map((message) => message.messageId)).toEqual(['b2', 'b1']);
    for (const watcher of [chats, page, search]) watcher.stop();
  });
});
