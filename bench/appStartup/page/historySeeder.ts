/**
 * Runs inside the app's page, for bench/appStartup only: seeds the renderer's own history store
 * through its own write path (`applyInboxBatch`, the function that stores every batch the core
 * hands over), and times its own search query. Bundled by ../historySeederBundle.ts and evaluated
 * in the page; the shipped renderer does not contain it.
 */
import type { InboxItem } from '../../../src-shared/domain/messages';
import {
  applyInboxBatch,
  MARK_READ_CHUNK,
  markConversationRead,
  openHistoryStore,
  runDirectly,
  searchMessages,
  type HistoryStore,
  type HistoryTaskRunner,
} from '../../../src-renderer/data';
import type { SeedRequest } from '../seedRequest';

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

type SeedResult = {
  added: number;
  milliseconds: number;
  markedRead: number;
  markReadMilliseconds: number;
  markReadChunk: number;
  /** Each step of the marking (the key read, then a transaction per chunk), in order. */
  markReadStepMilliseconds: number[];
};

/**
 * Writes the history in batches, then marks it read as the app does when the chat is opened
 * (`markConversationRead`, a transaction per chunk, here back to back with no other writes
 * between them): an old history is a read one.
 */
async function seed(request: SeedRequest): Promise<SeedResult> {
  const history = await open(request.accountId, request.storageKey);
  const started = performance.now();
  let added = 0;
  for (let start = 0; start < request.count; start += request.batchSize) {
    const items: InboxItem[] = [];
    for (let index = start; index < Math.min(request.count, start + request.batchSize); index++) {
      const incoming = index % 2 === 0;
      const sentAt = request.firstSentAt + index * 60_000;
      items.push({
        inboxId: `bench-${index}`,
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
    added += (await applyInboxBatch(history, items)).added;
  }
  const milliseconds = performance.now() - started;
  const direct = runDirectly(history);
  const steps: number[] = [];
  const timedSteps: HistoryTaskRunner = {
    run: async (task) => {
      const stepStarted = performance.now();
      try {
        return await direct.run(task);
      } finally {
        steps.push(performance.now() - stepStarted);
      }
    },
  };
  const markStarted = performance.now();
  const read = await markConversationRead(timedSteps, request.peerAccountId);
  return {
    added,
    milliseconds,
    markedRead: read.reduce((sum, group) => sum + group.messageIds.length, 0),
    markReadMilliseconds: performance.now() - markStarted,
    markReadChunk: MARK_READ_CHUNK,
    markReadStepMilliseconds: steps,
  };
}

async function search(accountId: string, storageKey: string, query: string): Promise<{ hits: number; milliseconds: number }> {
  const history = await open(accountId, storageKey);
  const started = performance.now();
  const hits = await searchMessages(history, { query });
  return { hits: hits.length, milliseconds: performance.now() - started };
}

function close() {
  store?.close();
  store = undefined;
}

(globalThis as { parleyBenchHistory?: unknown }).parleyBenchHistory = { seed, search, close };
