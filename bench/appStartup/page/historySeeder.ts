/**
 * Runs inside the app's page, for bench/appStartup only: seeds the renderer's own history store
 * through its own write path (`applyInboxBatch`, the function that stores every batch the core
 * hands over), and times its own search query. Bundled by ../historySeederBundle.ts and evaluated
 * in the page; the shipped renderer does not contain it.
 */
import type { InboxItem } from '../../../src-shared/domain/messages';
import {
  applyInboxBatch,
  countMessages,
  MARK_READ_CHUNK,
  markConversationRead,
  openHistoryStore,
  runDirectly,
  searchMessages,
  type HistoryStore,
  type HistoryTaskRunner,
} from '../../../src-renderer/data';
import type { SeedRequest, SeedResult } from '../seedRequest';

const WORDS = [
  'harbour', 'lantern', 'meadow', 'copper', 'thistle', 'orbit', 'velvet', 'granite', 'saffron', 'tundra',
  'quartz', 'willow', 'ember', 'falcon', 'cobalt', 'juniper', 'marble', 'nectar', 'pebble', 'ripple',
  'summit', 'timber', 'violet', 'walnut', 'zephyr', 'anchor', 'bramble', 'cinder', 'dune', 'fjord',
];

function textOf(index: number, request: SeedRequest): string {
  const pick = (salt: number) => WORDS[(index * 7 + salt * 13 + Math.floor(index / 31)) % WORDS.length];
  const words = [pick(1), pick(2), 'and', pick(3), `number ${index + 1}`];
  if (index % request.rareEvery === 0) words.push(request.rareWord);
  return words.join(' ');
}

let store: HistoryStore | undefined;

async function open(accountId: string, storageKey: string): Promise<HistoryStore> {
  store ??= await openHistoryStore({ accountId, storageKey: Uint8Array.from(atob(storageKey), (c) => c.charCodeAt(0)) });
  return store;
}

function batchOf(request: SeedRequest, start: number, end: number): InboxItem[] {
  const items: InboxItem[] = [];
  for (let index = start; index < end; index++) {
    const incoming = index % 2 === 0;
    const sentAt = request.firstSentAt + index * request.spacingMs;
    items.push({
      inboxId: `bench-${request.peerAccountId}-${index}`,
      kind: 'message',
      message: {
        messageId: crypto.randomUUID(),
        conversationId: request.peerAccountId,
        direction: incoming ? 'in' : 'out',
        senderAccountId: incoming ? request.peerAccountId : request.accountId,
        senderDeviceId: 1,
        text: textOf(index, request),
        sentAt,
        serverReceivedAt: sentAt + 50,
      },
    });
  }
  return items;
}

/**
 * Writes the history in batches (up to `inFlight` at once: the next batch's records are hashed
 * while the last one's transaction runs; IndexedDB runs transactions on the same tables in the
 * order they were opened), then marks it read as the app does when the chat is opened
 * (`markConversationRead`, a transaction per chunk, back to back with no other writes between).
 */
async function seed(request: SeedRequest): Promise<SeedResult> {
  const history = await open(request.accountId, request.storageKey);
  const started = performance.now();
  let added = 0;
  const writing: Array<Promise<number>> = [];
  const end = request.firstIndex + request.count;
  for (let start = request.firstIndex; start < end; start += request.batchSize) {
    if (writing.length >= request.inFlight) added += await writing.shift()!;
    writing.push(applyInboxBatch(history, batchOf(request, start, Math.min(end, start + request.batchSize))).then((result) => result.added));
  }
  for (const batch of writing) added += await batch;
  const milliseconds = performance.now() - started;
  const result: SeedResult = {
    added,
    milliseconds,
    markedRead: 0,
    markReadMilliseconds: 0,
    markReadChunk: MARK_READ_CHUNK,
    markReadStepMilliseconds: [],
    schemaVersion: history.db.verno,
  };
  if (!request.markRead) return result;
  const direct = runDirectly(history);
  const timedSteps: HistoryTaskRunner = {
    run: async (task) => {
      const stepStarted = performance.now();
      try {
        return await direct.run(task);
      } finally {
        result.markReadStepMilliseconds.push(performance.now() - stepStarted);
      }
    },
  };
  const markStarted = performance.now();
  const read = await markConversationRead(timedSteps, request.peerAccountId);
  result.markReadMilliseconds = performance.now() - markStarted;
  result.markedRead = read.reduce((sum, group) => sum + group.messageIds.length, 0);
  return result;
}

async function search(accountId: string, storageKey: string, query: string): Promise<{ hits: number; milliseconds: number }> {
  const history = await open(accountId, storageKey);
  const started = performance.now();
  const hits = await searchMessages(history, { query });
  return { hits: hits.length, milliseconds: performance.now() - started };
}

/** How many messages a conversation holds (the catch-up checks that every queued one arrived, once). */
async function count(accountId: string, storageKey: string, conversationId: string): Promise<number> {
  return countMessages(await open(accountId, storageKey), conversationId);
}

function close() {
  store?.close();
  store = undefined;
}

(globalThis as { parleyBenchHistory?: unknown }).parleyBenchHistory = { seed, search, count, close };
