import 'fake-indexeddb/auto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { InboxItem } from '../../../src-shared/domain/messages';
import { applyInboxBatch } from '../applyInboxBatch';
import { comparePositions } from '../chatRow';
import type * as SealRecordModule from '../encryption/sealRecord';
import type { HistoryStore } from '../historyStore';
import type { HistoryMessage, MessageRecord } from '../records';
import { recordOutgoing } from '../recordOutgoing';
import { textMatchesWords } from '../search/searchTerms';
import { ALICE, BOB, CAROL, messageItem, openTestStore, rawText, readRawTables, uniqueDatabaseName } from '../testing/historyTesting';
import { searchMessages, type MessageSearchRequest } from './searchMessages';

// Counts the message pages the store decrypts: what a search costs grows with this.
const decrypted = vi.hoisted(() => ({ pages: 0 }));
vi.mock('../encryption/sealRecord', async (importOriginal) => {
  const original = await importOriginal<typeof SealRecordModule>();
  return {
    ...original,
    openRecord: (...args: Parameters<typeof original.openRecord>) => {
      if (args[1] === 'messagePages') decrypted.pages += 1;
      return original.openRecord(...args);
    },
  };
});

const T = 1_700_000_000_000;
const FILLER = ['weather', 'lunch', 'traffic', 'meeting', 'weekend', 'project', 'coffee', 'later', 'maybe', 'thanks'];

describe('searchMessages', () => {
  const name = uniqueDatabaseName('search');
  let store: HistoryStore;

  beforeAll(async () => {
    store = await openTestStore({ name });
    // The needle is in the very first message, under 3,000 others in two conversations.
    await applyInboxBatch(store, [messageItem(BOB, 'needle', 'The Café by the Fjörd opens at Ñoon', T)]);
    for (let batch = 0; batch < 3; batch += 1) {
      await applyInboxBatch(
        store,
        Array.from({ length: 1_000 }, (_, index) => {
          const number = batch * 1_000 + index;
          const text = `${FILLER[number % 10]} ${FILLER[(number * 3) % 10]} number${number}`;
          return messageItem(number % 2 ? CAROL : BOB, `filler-${number}`, text, T + 1 + number);
        }),
      );
    }
    await applyInboxBatch(store, [
      messageItem(CAROL, 'carol-only', 'the zeppelin has landed', T + 10_000),
      messageItem(BOB, 'both-1', 'shared word lighthouse', T + 10_001),
      messageItem(CAROL, 'both-2', 'shared word lighthouse', T + 10_002),
    ]);
    await recordOutgoing(store, { messageId: 'mine', conversationId: BOB, senderDeviceId: 1, text: 'Quokka sighting!', sentAt: T + 20_000 });
  });
  afterAll(() => store.close());

  const ids = async (query: string, conversationId?: string) =>
    (await searchMessages(store, { query, ...(conversationId ? { conversationId } : {}) })).map((message) => message.messageId);

  it('finds a word from an old message among thousands', async () => {
    const started = performance.now();
    expect(await ids('fjord')).toEqual(['needle']);
    console.log(`history: search for a rare word over 3,005 messages took ${(performance.now() - started).toFixed(1)} ms`);
  });

  it('finds by prefix from three characters', async () => {
    expect(await ids('fjö')).toEqual(['needle']);
    expect(await ids('zep')).toEqual(['carol-only']);
    expect(await ids('quok')).toEqual(['mine']);
    expect(await ids('fj')).toEqual([]);
  });

  it('ignores case and diacritics both ways', async () => {
    expect(await ids('CAFE')).toEqual(['needle']);
    expect(await ids('café fjord noon')).toEqual(['needle']);
    expect(await ids('ｃａｆｅ')).toEqual(['needle']);
  });

  it('needs every query word', async () => {
    expect(await ids('cafe zeppelin')).toEqual([]);
    expect(await ids('zeppelin landed')).toEqual(['carol-only']);
  });

  it('stays in the conversation it is scoped to', async () => {
    expect(await ids('zeppelin', BOB)).toEqual([]);
    expect(await ids('zeppelin', CAROL)).toEqual(['carol-only']);
    expect(await ids('lighthouse', BOB)).toEqual(['both-1']);
    expect(await ids('lighthouse')).toEqual(['both-2', 'both-1']);
  });

  it('returns the newest first, up to the limit', async () => {
    const started = performance.now();
    const results = await searchMessages(store, { query: 'weather', limit: 5 });
    console.log(`history: search for a word in 600 of 3,005 messages took ${(performance.now() - started).toFixed(1)} ms`);
    expect(results).toHaveLength(5);
    const times = results.map((message) => message.sentAt);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(results.every((message) => message.text.includes('weather'))).toBe(true);
  });

  it('takes any limit: a fraction rounds down, none finds nothing, Infinity finds every match', async () => {
    expect(await ids('lighthouse')).toHaveLength(2);
    expect(await searchMessages(store, { query: 'lighthouse', limit: 1.5 })).toHaveLength(1);
    expect(await searchMessages(store, { query: 'lighthouse', limit: 0 })).toEqual([]);
    const every = await searchMessages(store, { query: 'weather', limit: Infinity });
    expect(every.length).toBeGreaterThan(50);
    expect(every).toEqual(await searchMessages(store, { query: 'weather', limit: 3_005 }));
  });

  it('finds nothing for an empty query or a word nobody wrote', async () => {
    expect(await ids('')).toEqual([]);
    expect(await ids('  ?! ')).toEqual([]);
    expect(await ids('xylophone')).toEqual([]);
  });

  it('leaves no word in clear in the database', async () => {
    // Words of five letters or more: over megabytes of ciphertext read as Latin-1, any given
    // three-letter sequence turns up by chance.
    const text = rawText(await readRawTables(name));
    for (const word of ['Fjörd', 'fjord', 'Café', 'cafe', 'zeppelin', 'Quokka', 'quokka', 'lighthouse', 'weather']) {
      expect(text.includes(word), word).toBe(false);
    }
  });
});

describe('searchMessages cost', () => {
  let store: HistoryStore;
  const LIMIT = 50;
  /** Pages (of up to 100 messages) a search may open beyond those holding its results: the filters' false positives. */
  const SLACK = 2;

  beforeAll(async () => {
    store = await openTestStore({ label: 'search-cost' });
    // 3,000 messages that all say "common": Carol's 10 are the oldest, Bob's 2,990 follow;
    // one in a hundred of Bob's also says "sparrow".
    const items: InboxItem[] = [];
    for (let number = 0; number < 3_000; number += 1) {
      const sender = number < 10 ? CAROL : BOB;
      const text = `common chatter ${number % 100 === 50 ? 'sparrow ' : ''}item${number}`;
      items.push(messageItem(sender, `cost-${number}`, text, T + number));
    }
    for (let start = 0; start < items.length; start += 1_000) await applyInboxBatch(store, items.slice(start, start + 1_000));
  });
  afterAll(() => store.close());
  beforeEach(() => {
    decrypted.pages = 0;
  });

  const search = (request: MessageSearchRequest) => searchMessages(store, request);

  it('opens the pages that hold the results it returns, not every match', async () => {
    const results = await search({ query: 'common' });
    expect(results).toHaveLength(LIMIT);
    expect(results[0]?.messageId).toBe('cost-2999');
    // The newest page holds all fifty: one page of the thirty that match.
    expect(decrypted.pages).toBe(1);

    decrypted.pages = 0;
    expect(await search({ query: 'comm', limit: 5 })).toHaveLength(5);
    expect(decrypted.pages).toBe(1);
  });

  it('finds words that rarely meet without opening the pages holding only one of them', async () => {
    const results = await search({ query: 'sparrow common' });
    expect(results.map((message) => message.messageId)).toEqual(
      Array.from({ length: 30 }, (_, index) => `cost-${2_950 - index * 100}`),
    );
    // Each of the thirty pages holds one sparrow; none without one is opened, but for a false positive.
    expect(decrypted.pages).toBeLessThanOrEqual(30 + SLACK);

    decrypted.pages = 0;
    expect(await search({ query: 'sparrow item1950' })).toHaveLength(1);
    expect(decrypted.pages).toBeLessThanOrEqual(1 + SLACK);
  });

  it("opens a rare word's first screen of pages in two reads: one page, then as many as its hits per page say", async () => {
    const reads = vi.spyOn(store.db.messagePages, 'bulkGet');
    try {
      const results = await search({ query: 'sparrow', limit: 12 });
      expect(results.map((message) => message.messageId)).toEqual(Array.from({ length: 12 }, (_, index) => `cost-${2_950 - index * 100}`));
      expect(reads.mock.calls.map(([keys]) => keys.length)).toEqual([1, 11]);
      expect(decrypted.pages).toBeLessThanOrEqual(12 + SLACK);
    } finally {
      reads.mockRestore();
    }
  });

  it('finds a conversation\'s few matches under thousands elsewhere without opening those', async () => {
    const results = await search({ query: 'common', conversationId: CAROL });
    expect(results.map((message) => message.messageId)).toEqual(Array.from({ length: 10 }, (_, index) => `cost-${9 - index}`));
    // Carol's ten are one page of her own conversation; Bob's thirty pages are never looked at.
    expect(decrypted.pages).toBe(1);
  });
});

describe('searchMessages against opening every message', () => {
  // The search must return exactly what opening every message would: every query word's hash
  // on the message, the words confirmed on its text, in scope, newest first, then the limit.
  // Many messages share a sentAt, so windows start and end in the middle of ties.
  const WORDS = ['amber', 'amble', 'ambush', 'birch', 'bison', 'cedar', 'cello', 'delta', 'Émile', 'emile'];
  const QUERIES = ['amber', 'amb', 'ambl', 'ce', 'bison cedar', 'delta amb birch', 'EMILE', 'émi', 'zebra'];
  let store: HistoryStore;

  beforeAll(async () => {
    store = await openTestStore({ label: 'search-reference' });
    let seed = 7;
    const random = (below: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return Math.floor(seed / 65_536) % below; // the low bits of this generator repeat quickly
    };
    const items: InboxItem[] = [];
    for (let number = 0; number < 1_200; number += 1) {
      const conversationId = random(3) === 0 ? CAROL : BOB;
      const sender = random(2) === 0 ? ALICE : conversationId;
      const words = Array.from({ length: 1 + random(4) }, () => WORDS[random(WORDS.length)]);
      const sentAt = T + Math.floor(number / 6) * 1_000;
      items.push(messageItem(sender, `r${random(1_000_000)}-${number}`, words.join(' '), sentAt, conversationId));
    }
    for (let start = 0; start < items.length; start += 600) await applyInboxBatch(store, items.slice(start, start + 600));
  });
  afterAll(() => store.close());

  const searchByOpeningEverything = (everything: MessageRecord[], request: MessageSearchRequest): HistoryMessage[] => {
    const { terms, words } = store.search.termsForQuery(request.query);
    if (terms.length === 0) return [];
    const hits = everything.filter(
      (record) =>
        (request.conversationId === undefined || record.conversationId === request.conversationId) &&
        terms.every((term) => store.search.termsForText(record.text).includes(term)) &&
        textMatchesWords(record.text, words),
    );
    return hits.sort((a, b) => comparePositions(b, a)).slice(0, request.limit ?? 50);
  };

  it('returns the same messages in the same order, for every limit and scope', async () => {
    const everything = (await store.db.messagePages.toArray()).flatMap((page) => page.messages);
    let found = 0;
    for (const query of QUERIES) {
      for (const limit of [1, 7, 50, 500]) {
        for (const conversationId of [undefined, BOB, CAROL]) {
          const request = { query, limit, ...(conversationId ? { conversationId } : {}) };
          const expected = searchByOpeningEverything(everything, request);
          expect(await searchMessages(store, request), JSON.stringify(request)).toEqual(expected);
          if (expected.length > 0) found += 1;
        }
      }
    }
    // Not a comparison of empty lists: all but the two queries nobody's words match find something.
    expect(found).toBe((QUERIES.length - 2) * 12);
  });
});
