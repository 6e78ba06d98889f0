import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyInboxBatch } from '../applyInboxBatch';
import type { HistoryStore } from '../historyStore';
import { recordOutgoing } from '../recordOutgoing';
import { BOB, CAROL, messageItem, openTestStore, rawText, readRawTables, uniqueDatabaseName } from '../testing/historyTesting';
import { searchMessages } from './searchMessages';

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
