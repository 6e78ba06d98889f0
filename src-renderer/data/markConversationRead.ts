import { comparePositions } from './chatRow';
import type { UnreadBlockKey } from './db';
import type { HistoryStore } from './historyStore';
import type { MessagePosition, UnreadBlockRecord } from './records';
import { countUnreadIn, unreadInConversation } from './unreadMessages';

export type MessagesRead = {
  /** Whose messages they are: the account read receipts go to. */
  senderAccountId: string;
  messageIds: string[];
};

/**
 * Where markConversationRead runs each of its steps. The session passes its serial history
 * writer, so every step queues as a task of its own and writes queued meanwhile (an inbox
 * batch, a send) run between two steps instead of waiting for the whole conversation.
 */
export type HistoryTaskRunner = {
  run<T>(task: (store: HistoryStore) => Promise<T>): Promise<T>;
};

/** Runs each task straight away, for tests and tools that hold a store and no writer. */
export function runDirectly(store: HistoryStore): HistoryTaskRunner {
  return { run: (task) => task(store) };
}

/** Unread messages marked per transaction: bounds how long any other write waits behind one. */
export const MARK_READ_CHUNK = 2_000;
/** Unread blocks read per request while a step fills its chunk. */
const BLOCKS_PER_READ = 16;

/**
 * Marks the conversation's unread incoming messages read, and returns them grouped by sender
 * (each sender's in display order) so the caller can send read receipts for exactly those; a
 * second call returns nothing.
 *
 * No page is rewritten: marking read deletes the conversation's unread blocks (records.ts
 * UnreadBlockRecord). First one read takes the keys of the blocks unread now; then each step
 * takes up to `chunkSize` messages from those blocks in its own transaction (a block only partly
 * taken keeps the rest under its key) and sets the chat's unread count to what is left. A
 * message that arrives between steps is in a block not among the keys taken, so it stays unread
 * and is counted, wherever its time puts it; a step reports only what it really took, so no
 * message is reported twice even if another pass runs over the same conversation.
 */
export async function markConversationRead(
  history: HistoryTaskRunner,
  conversationId: string,
  chunkSize: number = MARK_READ_CHUNK,
): Promise<MessagesRead[]> {
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new RangeError(`chunkSize must be a whole number above 0, not ${chunkSize}`);
  const blocks = await history.run((store) => unreadInConversation(store, conversationId).primaryKeys());
  const read: MessagePosition[] = [];
  let next = 0;
  // At least one step, even with nothing unread, so a chat count that disagrees is set right.
  do {
    const step = await history.run((store) => markSomeRead(store, conversationId, blocks.slice(next, next + chunkSize), chunkSize));
    next += step.blocksDone;
    read.push(...step.marked);
  } while (next < blocks.length);
  read.sort(comparePositions);
  const bySender = new Map<string, string[]>();
  for (const { senderAccountId, messageId } of read) {
    const ids = bySender.get(senderAccountId) ?? [];
    ids.push(messageId);
    bySender.set(senderAccountId, ids);
  }
  return [...bySender].map(([senderAccountId, messageIds]) => ({ senderAccountId, messageIds }));
}

/**
 * One step, one transaction: takes up to `chunkSize` messages from the blocks `keys` names (each
 * block holds at least one, so no more blocks than that are read), deletes the blocks taken
 * whole, keeps the rest of one taken in part, and sets the chat's unread count to what is left.
 */
async function markSomeRead(
  store: HistoryStore,
  conversationId: string,
  keys: readonly UnreadBlockKey[],
  chunkSize: number,
): Promise<{ marked: MessagePosition[]; blocksDone: number }> {
  const { db } = store;
  return db.transaction('rw', db.unreadBlocks, db.chats, async () => {
    const marked: MessagePosition[] = [];
    const finished: UnreadBlockKey[] = [];
    let blocksDone = 0;
    let blocks: Array<UnreadBlockRecord | undefined> = [];
    for (let index = 0; index < keys.length && marked.length < chunkSize; index += 1) {
      // A few blocks at a time: a batch's block holds hundreds, a live message's one.
      if (index % BLOCKS_PER_READ === 0) blocks = await db.unreadBlocks.bulkGet(keys.slice(index, index + BLOCKS_PER_READ));
      const block = blocks[index % BLOCKS_PER_READ];
      const key = keys[index]!;
      // Gone: another marking took it.
      if (block === undefined) {
        blocksDone += 1;
        continue;
      }
      const room = chunkSize - marked.length;
      if (block.positions.length <= room) {
        marked.push(...block.positions);
        finished.push(key);
        blocksDone += 1;
      } else {
        marked.push(...block.positions.slice(0, room));
        const rest = block.positions.slice(room);
        await db.unreadBlocks.put({ ...block, count: rest.length, positions: rest });
      }
    }
    if (finished.length > 0) await db.unreadBlocks.bulkDelete(finished);
    const left = await countUnreadIn(store, conversationId);
    const chat = await db.chats.get(conversationId);
    if (chat !== undefined && chat.unreadCount !== left) await db.chats.put({ ...chat, unreadCount: left });
    return { marked, blocksDone };
  });
}
